job "native-sd" {
  datacenters = ["dc1"]

  group "cache" {
    network {
      port "redis" {
        to = 6379
      }
    }

    service {
      provider = "nomad"
      port     = "redis"

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "redis" {
      driver = "docker"

      config {
        image = "redis:7"
        ports = ["redis"]
      }

      service {
        provider = "nomad"
        port     = "redis"
        address  = "${attr.unique.network.ip-address}"
        tags     = ["task-level"]
      }
    }
  }
}
