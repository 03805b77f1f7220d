job "checkout" {
  datacenters = ["dc1", "dc2"]

  group "checkout" {
    count = 4

    update {
      max_parallel     = 4
      canary           = 4
      auto_promote     = true
      auto_revert      = true
      min_healthy_time = "30s"
      healthy_deadline = "5m"
      progress_deadline = "15m"
    }

    network {
      port "http" {}
    }

    service {
      name        = "checkout"
      port        = "http"
      tags        = ["live"]
      canary_tags = ["canary"]

      check {
        type     = "tcp"
        interval = "15s"
        timeout  = "3s"
      }
    }

    task "checkout" {
      driver = "docker"

      config {
        image = "shop/checkout:2.0.0"
        ports = ["http"]
      }
    }
  }
}
