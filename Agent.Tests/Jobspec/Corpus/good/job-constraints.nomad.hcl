job "constrained" {
  datacenters = ["dc1"]

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  constraint {
    attribute = "${attr.nomad.version}"
    version   = ">= 1.4.0"
  }

  constraint {
    attribute = "${meta.rack}"
    operator  = "regexp"
    value     = "r[0-9]+"
  }

  constraint {
    distinct_hosts = true
  }

  constraint {
    distinct_property = "${meta.rack}"
    value             = "2"
  }

  constraint {
    attribute = "${node.class}"
    operator  = "!="
    value     = "spot"
  }

  group "app" {
    task "app" {
      driver = "exec"

      config {
        command = "local/app"
      }
    }
  }
}
