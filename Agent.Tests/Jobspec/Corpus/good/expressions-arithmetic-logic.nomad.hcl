variable "big" {
  type    = bool
  default = true
}

variable "base_mem" {
  default = 128
}

job "expressions" {
  datacenters = ["dc1"]
  priority    = 10 * 5 + 25 % 7

  group "g" {
    count = 3 * 2 - 4 / 2

    task "t" {
      driver       = "exec"
      kill_timeout = "${2 + 3}s"

      config {
        command = "local/t"
        verbose = !var.big || 1 < 2 && "a" == "a"
        ratio   = 7 / 2
        neg     = -3 + 1
        cmp     = [1 >= 1, 2 != 2, 3 <= 2]
      }

      resources {
        cpu    = var.big ? 1000 : 250
        memory = var.base_mem * (var.big ? 4 : 1)
      }
    }
  }
}
