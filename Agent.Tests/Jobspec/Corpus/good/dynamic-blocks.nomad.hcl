variable "ports" {
  default = {
    http  = 8080
    admin = 9090
  }
}

variable "tasks" {
  default = ["one", "two"]
}

variable "required_classes" {
  default = ["gpu", "ssd"]
}

job "dynamic" {
  datacenters = ["dc1"]

  dynamic "constraint" {
    for_each = var.required_classes

    content {
      attribute = "$${meta.class_${constraint.value}}"
      value     = "true"
    }
  }

  group "g" {
    network {
      dynamic "port" {
        for_each = var.ports
        labels   = [port.key]

        content {
          to = port.value
        }
      }
    }

    dynamic "task" {
      for_each = var.tasks
      iterator = t
      labels   = [t.value]

      content {
        driver = "exec"

        config {
          command = "local/${t.value}"
        }

        env {
          INDEX = t.key
        }
      }
    }
  }
}
