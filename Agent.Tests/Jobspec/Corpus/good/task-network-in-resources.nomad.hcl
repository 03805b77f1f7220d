job "legacy-net" {
  datacenters = ["dc1"]

  group "web" {
    task "web" {
      driver = "exec"

      config {
        command = "local/web"
      }

      resources {
        cpu    = 100
        memory = 64

        network {
          mbits = 10

          port "http" {}

          port "https" {
            static = 443
          }
        }
      }
    }
  }
}
