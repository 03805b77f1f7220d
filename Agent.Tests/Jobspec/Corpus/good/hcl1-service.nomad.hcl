job "legacy" {
  datacenters = ["dc1"]
  type = "service"

  group "web" {
    count = 2

    task "web" {
      driver = "docker"

      config {
        image = "nginx:1.25"
      }

      resources {
        cpu = 200
        memory = 128

        network {
          mbits = 10
          port "http" {}
        }
      }

      service {
        name = "legacy-web"
        port = "http"

        check {
          type = "http"
          path = "/"
          interval = "10s"
          timeout = "2s"
        }
      }
    }
  }
}
