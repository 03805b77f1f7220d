variable "backends" {
  default = [
    { name = "alpha", port = 8001 },
    { name = "beta", port = 8002 },
  ]
}

variable "by_name" {
  default = {
    alpha = { weight = 3 }
  }
}

job "splats" {
  datacenters = ["dc1"]

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
        names   = var.backends[*].name
        ports   = var.backends.*.port
        first   = var.backends[0].name
        weight  = var.by_name["alpha"].weight
      }
    }
  }
}
