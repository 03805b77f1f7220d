variable "env" {
  default = "staging"
}

locals {
  name_prefix = "shop-${var.env}"
  is_prod     = var.env == "prod"
  replicas    = local.is_prod ? 5 : 2
}

locals {
  common_meta = {
    env   = var.env
    owner = "platform"
  }
}

job "locals-demo" {
  datacenters = ["dc1"]
  meta        = merge(local.common_meta, { managed_by = "nomad" })

  group "web" {
    count = local.replicas

    task "web" {
      driver = "docker"

      config {
        image = "${local.name_prefix}/web:latest"
      }
    }
  }
}
