job "fn-datetime" {
  datacenters = ["dc1"]

  meta {
    date  = formatdate("YYYY-MM-DD", "2022-10-12T08:30:00Z")
    time  = formatdate("hh:mm", "2022-10-12T08:30:00Z")
    long  = formatdate("DD MMM YYYY", "2022-10-12T08:30:00Z")
    later = timeadd("2022-10-12T08:30:00Z", "90m")
  }

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
      }
    }
  }
}
