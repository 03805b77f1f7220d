variable "port" {
  type    = number
  default = 8080

  validation {
    condition     = var.port > 1024 && var.port < 65536
    error_message = "The port must be unprivileged."
  }
}

job "validated" {
  datacenters = ["dc1"]

  group "web" {
    network {
      port "http" {
        static = var.port
      }
    }

    task "web" {
      driver = "exec"

      config {
        command = "local/web"
        args    = ["--port", var.port]
      }
    }
  }
}
