variable "image" {
  type        = string
  default     = "nginx:1.25"
  description = "The container image to run."
}

variable "replicas" {
  type    = number
  default = 2
}

variable "datacenters" {
  type    = list(string)
  default = ["dc1", "dc2"]
}

variable "labels" {
  type = map(string)
  default = {
    team = "web"
  }
}

job "vars-defaults" {
  datacenters = var.datacenters

  group "web" {
    count = var.replicas

    task "nginx" {
      driver = "docker"

      config {
        image = var.image
      }

      meta = var.labels
    }
  }
}
