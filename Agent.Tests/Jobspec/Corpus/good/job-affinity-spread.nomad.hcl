job "spread-out" {
  datacenters = ["dc1", "dc2", "dc3"]

  affinity {
    attribute = "${node.datacenter}"
    value     = "dc1"
    weight    = 100
  }

  affinity {
    attribute = "${meta.ssd}"
    value     = "true"
  }

  spread {
    attribute = "${node.datacenter}"
    weight    = 70

    target "dc1" {
      percent = 50
    }

    target "dc2" {
      percent = 30
    }
  }

  spread {
    attribute = "${meta.rack}"
  }

  group "web" {
    count = 6

    task "web" {
      driver = "exec"

      config {
        command = "local/web"
      }
    }
  }
}
