job "checked" {
  datacenters = ["dc1"]

  group "api" {
    network {
      port "http" {}
      port "grpc" {}
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:2"
        ports = ["http", "grpc"]
      }

      service {
        name = "api"
        port = "http"
        tags = ["api"]

        check_restart {
          limit           = 2
          grace           = "1m"
          ignore_warnings = true
        }

        check {
          name                     = "http-ready"
          type                     = "http"
          port                     = "http"
          path                     = "/ready"
          method                   = "POST"
          body                     = "{\"probe\":true}"
          protocol                 = "https"
          tls_skip_verify          = true
          interval                 = "10s"
          timeout                  = "3s"
          initial_status           = "warning"
          success_before_passing   = 2
          failures_before_critical = 3

          header {
            Authorization = ["Bearer probe-token"]
            X-Probe       = ["a", "b"]
          }
        }

        check {
          name      = "script"
          type      = "script"
          command   = "/bin/check.sh"
          args      = ["--quick"]
          interval  = "30s"
          timeout   = "5s"
          task      = "api"
          on_update = "ignore"

          check_restart {
            limit = 5
          }
        }
      }

      service {
        name = "api-grpc"
        port = "grpc"

        check {
          type         = "grpc"
          grpc_service = "api.Health"
          grpc_use_tls = true
          interval     = "15s"
          timeout      = "2s"
          address_mode = "driver"
        }
      }
    }
  }
}
