variable "services" {
  default = ["api", "web", "worker"]
}

variable "env_vars" {
  default = {
    LOG_LEVEL = "INFO"
    REGION    = "EU"
  }
}

job "for-exprs" {
  datacenters = [for dc in ["a", "b"] : "dc-${dc}"]
  meta        = { for s in var.services : s => upper(s) }

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
        args    = [for i, s in var.services : "${i}:${s}" if s != "web"]
      }

      env = { for k, v in var.env_vars : "APP_${k}" => lower(v) }
    }
  }
}
