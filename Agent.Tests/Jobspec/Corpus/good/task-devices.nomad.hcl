job "training" {
  datacenters = ["dc1"]
  type        = "batch"

  group "train" {
    task "train" {
      driver = "docker"

      config {
        image = "example/trainer:cuda"
      }

      resources {
        cpu    = 1000
        memory = 2048

        device "nvidia/gpu" {
          count = 2

          constraint {
            attribute = "${device.attr.memory}"
            operator  = ">="
            value     = "2 GiB"
          }

          affinity {
            attribute = "${device.model}"
            value     = "Tesla V100"
            weight    = 50
          }
        }

        device "fpga" {}
      }
    }
  }
}
