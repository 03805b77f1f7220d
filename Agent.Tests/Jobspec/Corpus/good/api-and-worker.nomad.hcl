locals {
  image_tag = "2024.05.1"
  common_env = {
    APP_ENV   = "production"
    LOG_LEVEL = "warn"
  }
}

job "orders" {
  datacenters = ["dc1", "dc2"]
  priority    = 70

  update {
    max_parallel      = 2
    canary            = 2
    auto_promote      = false
    min_healthy_time  = "15s"
    healthy_deadline  = "4m"
    progress_deadline = "8m"
  }

  spread {
    attribute = "${node.datacenter}"
  }

  group "api" {
    count = 4

    network {
      port "http" {
        to = 3000
      }
    }

    service {
      name = "orders-api"
      port = "http"

      check {
        type     = "http"
        path     = "/health"
        interval = "5s"
        timeout  = "1s"
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/orders-api:${local.image_tag}"
        ports = ["http"]
      }

      env = merge(local.common_env, { PORT = "3000" })

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }

  group "worker" {
    count = 2

    update {
      canary = 0
    }

    reschedule {
      unlimited = false
      attempts  = 10
      interval  = "1h"
    }

    task "worker" {
      driver = "docker"

      config {
        image   = "example/orders-worker:${local.image_tag}"
        command = "worker"
      }

      env          = local.common_env
      kill_timeout = "45s"
      kill_signal  = "SIGTERM"

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }
}
