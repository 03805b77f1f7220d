job "placed" {
  datacenters = ["dc1", "dc2"]

  group "db" {
    count = 3

    constraint {
      attribute = "${meta.storage}"
      value     = "ssd"
    }

    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    affinity {
      attribute = "${node.class}"
      operator  = "set_contains_any"
      value     = "large,xlarge"
      weight    = -50
    }

    spread {
      attribute = "${node.datacenter}"

      target "dc1" {
        percent = 60
      }

      target "dc2" {
        percent = 40
      }
    }

    meta {
      role = "primary"
    }

    task "db" {
      driver = "exec"

      config {
        command = "local/db"
      }
    }
  }
}
