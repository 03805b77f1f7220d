job "node-exporter" {
  datacenters = ["dc1"]
  type        = "system"

  group "exporter" {
    network {
      port "metrics" {
        static = 9100
      }
    }

    task "node-exporter" {
      driver = "raw_exec"

      config {
        command = "/usr/local/bin/node_exporter"
        args    = ["--web.listen-address=:${NOMAD_PORT_metrics}"]
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }
  }
}
