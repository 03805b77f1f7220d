variable "datacenters" {
  type = list(string)
}

variable "resources" {
  type = object({ cpu = number, memory = number })
  default = {
    cpu    = 100
    memory = 64
  }
}

variable "instances" {
  type = number
}

job "complex-vars" {
  datacenters = var.datacenters

  group "g" {
    count = var.instances

    task "t" {
      driver = "exec"

      config {
        command = "local/t"
      }

      resources {
        cpu    = var.resources.cpu
        memory = var.resources.memory
      }
    }
  }
}
