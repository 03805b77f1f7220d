job "web" {
  datacenters = ["dc1"]
  type        = "service"

  update {
    max_parallel     = 1
    min_healthy_time = "10s"
    healthy_deadline = "3m"
    auto_revert      = true
    canary           = 1
  }

  group "frontend" {
    count = 3

    network {
      port "http" {
        to = 8080
      }
    }

    service {
      name = "web-frontend"
      port = "http"
      tags = ["urlprefix-/", "http"]

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }

      check_restart {
        limit = 3
        grace = "30s"
      }
    }

    task "server" {
      driver = "docker"

      config {
        image = "hashicorp/http-echo:0.2.3"
        ports = ["http"]
        args  = ["-listen", ":8080", "-text", "hello world"]
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
