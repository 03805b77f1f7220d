variable "region_name" {
  type    = string
  default = "us"
}

variable "tier" {
  type    = string
  default = "default-tier"
}

job "vars-env" {
  datacenters = ["${var.region_name}-1"]

  meta {
    tier = var.tier
  }

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
      }
    }
  }
}
