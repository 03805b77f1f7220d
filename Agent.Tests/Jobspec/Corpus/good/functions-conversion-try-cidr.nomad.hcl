variable "maybe" {
  default = {
    present = "yes"
  }
}

job "fn-conversion" {
  datacenters = ["dc1"]

  meta {
    try_present = try(var.maybe.present, "no")
    try_absent  = try(var.maybe.absent, "fallback")
    can_absent  = can(var.maybe.absent)
    converted   = convert(42, string)
    cidrhost    = cidrhost("10.0.0.0/24", 5)
    cidrsubnet  = cidrsubnet("10.0.0.0/16", 8, 2)
    cidrnetmask = cidrnetmask("172.16.0.0/12")
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
