job "autoscaled" {
  datacenters = ["dc1"]

  group "web" {
    scaling {
      enabled = true
      min     = 2
      max     = 10

      policy {
        cooldown            = "2m"
        evaluation_interval = "30s"
      }
    }

    task "web" {
      driver = "exec"

      config {
        command = "local/web"
      }
    }
  }
}
