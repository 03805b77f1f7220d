job "right-sized" {
  datacenters = ["dc1"]

  group "app" {
    task "app" {
      driver = "exec"

      config {
        command = "local/app"
      }

      resources {
        cpu    = 200
        memory = 256
      }

      scaling "cpu" {
        enabled = true
        min     = 100
        max     = 500

        policy {
          cooldown = "5m"
        }
      }

      scaling "mem" {
        max = 2048
      }
    }
  }
}
