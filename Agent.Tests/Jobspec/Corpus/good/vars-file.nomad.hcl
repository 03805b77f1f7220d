variable "image" {
  type = string
}

variable "ports" {
  type    = list(string)
  default = ["db"]
}

variable "memory" {
  type    = number
  default = 256
}

job "vars-file" {
  datacenters = ["dc1"]

  group "cache" {
    task "redis" {
      driver = "docker"

      config {
        image = var.image
        ports = var.ports
      }

      resources {
        memory = var.memory
      }
    }
  }
}
