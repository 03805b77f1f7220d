job "api" {
  datacenters = ["us-east-1a", "us-east-1b", "us-east-1c"]
  type        = "service"
  namespace   = "prod"

  spread {
    attribute = "${node.datacenter}"
    weight    = 100

    target "us-east-1a" {
      percent = 40
    }
    target "us-east-1b" {
      percent = 30
    }
    target "us-east-1c" {
      percent = 30
    }
  }

  affinity {
    attribute = "${meta.instance_type}"
    value     = "m5.large"
    weight    = -50
  }

  update {
    max_parallel     = 2
    canary           = 2
    auto_promote     = true
    auto_revert      = true
    stagger          = "30s"
    health_check     = "checks"
  }

  group "api" {
    count = 6

    scaling {
      enabled = true
      min     = 2
      max     = 20

      policy {
        evaluation_interval = "5s"
        cooldown            = "1m"

        check "avg_cpu" {
          source = "nomad-apm"
          query  = "avg_cpu"

          strategy "target-value" {
            target = 70
          }
        }
      }
    }

    stop_after_client_disconnect = "1h"

    task "api" {
      driver = "docker"
      leader = true

      config {
        image = "example/api:2.4.1"
      }

      resources {
        cpu        = 750
        memory     = 512
        memory_max = 1024

        device "nvidia/gpu" {
          count = 1

          constraint {
            attribute = "${device.attr.memory}"
            operator  = ">="
            value     = "2 GiB"
          }
        }
      }
    }
  }
}
