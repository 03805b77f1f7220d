variable "datacenters" {
  type        = list(string)
  description = "Where to run"
  default     = ["dc1"]
}

variable "image_tag" {
  type    = string
  default = "latest"
}

variable "replicas" {
  type    = number
  default = 3
}

locals {
  image   = "example/worker:${var.image_tag}"
  env     = "staging"
  enabled = var.replicas > 0
}

job "worker" {
  datacenters = var.datacenters
  type        = "service"

  group "workers" {
    count = var.replicas

    task "worker" {
      driver = "docker"

      config {
        image   = local.image
        command = "/worker"
        args    = ["--env", local.env, "--name=${upper(local.env)}-${NOMAD_ALLOC_INDEX}"]
      }

      env {
        QUEUE   = "jobs-${local.env}"
        LABELS  = join(",", var.datacenters)
        TIMEOUT = "${var.replicas * 10}s"
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
