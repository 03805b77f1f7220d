job "fn-files" {
  datacenters = ["dc1"]

  meta {
    has_conf  = fileexists("files/app.conf")
    has_other = fileexists("files/missing.conf")
    base      = basename("files/app.conf")
    dir       = dirname("files/app.conf")
  }

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
      }

      template {
        destination = "local/app.conf"
        data        = file("files/app.conf")
      }
    }
  }
}
