job "node-exporter" {
  type        = "system"
  datacenters = ["*"]
  node_pool   = "all"

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  constraint {
    attribute = "${meta.rack}"
    operator  = "regexp"
    value     = "^r[0-9]+$"
  }

  constraint {
    operator = "distinct_hosts"
    value    = "true"
  }

  group "exporter" {
    network {
      mode = "host"
      port "metrics" {
        static = 9100
      }
    }

    task "node-exporter" {
      driver = "raw_exec"
      user   = "nobody"

      config {
        command = "/opt/node_exporter/node_exporter"
        args = [
          "--web.listen-address=:${NOMAD_PORT_metrics}",
          "--collector.textfile.directory=/var/lib/node_exporter",
        ]
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
