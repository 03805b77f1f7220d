variable "image" {
  default = "nginx:1.25"
}

variable "replicas" {
  type    = number
  default = 1
}

variable "env" {
  type    = string
  default = "dev"
}

variable "debug" {
  type    = bool
  default = false
}

variable "extra_args" {
  type    = list(string)
  default = []
}

job "vars-cli" {
  datacenters = ["dc1"]

  meta {
    environment = var.env
  }

  group "web" {
    count = var.replicas

    task "nginx" {
      driver = "docker"

      config {
        image = var.image
        args  = concat(["-g", "daemon off;"], var.extra_args)
        debug = var.debug
      }
    }
  }
}
