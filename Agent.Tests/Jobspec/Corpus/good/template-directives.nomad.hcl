variable "features" {
  default = ["auth", "cache"]
}

variable "debug" {
  default = false
}

job "directives" {
  datacenters = ["dc1"]

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
      }

      env {
        FEATURES = "%{ for f in var.features }${f};%{ endfor }"
        MODE     = "%{ if var.debug }debug%{ else }release%{ endif }"
        LITERAL  = "$${NOT_INTERPOLATED} and %%{ not a directive }"
      }

      template {
        destination = "local/features.txt"
        data        = <<-EOT
          %{ for f in var.features ~}
          feature ${f}
          %{ endfor ~}
          EOT
      }
    }
  }
}
