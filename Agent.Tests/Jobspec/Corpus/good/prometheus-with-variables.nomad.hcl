variable "prometheus_version" {
  type    = string
  default = "2.40.1"
}

variable "scrape_targets" {
  type    = list(string)
  default = ["10.0.0.10:9100", "10.0.0.11:9100"]
}

job "prometheus" {
  datacenters = ["dc1"]

  group "monitoring" {
    count = 1

    network {
      port "ui" {
        to = 9090
      }
    }

    volume "tsdb" {
      type   = "host"
      source = "prometheus-data"
    }

    restart {
      attempts = 2
      interval = "30m"
      delay    = "15s"
      mode     = "fail"
    }

    ephemeral_disk {
      size = 600
    }

    task "prometheus" {
      driver = "docker"

      artifact {
        source      = "https://releases.example.com/prometheus/v${var.prometheus_version}/prometheus-${var.prometheus_version}.linux-amd64.tar.gz"
        destination = "local/dist"
      }

      template {
        change_mode = "noop"
        destination = "local/prometheus.yml"
        data        = <<EOH
global:
  scrape_interval: 15s

scrape_configs:
  - job_name: nodes
    static_configs:
      - targets: [${join(", ", formatlist("'%s'", var.scrape_targets))}]
EOH
      }

      volume_mount {
        volume      = "tsdb"
        destination = "/prometheus"
      }

      config {
        image = "prom/prometheus:v${var.prometheus_version}"
        ports = ["ui"]
        args  = ["--config.file=/local/prometheus.yml", "--storage.tsdb.path=/prometheus"]
      }

      service {
        name = "prometheus"
        port = "ui"
        tags = ["urlprefix-/"]

        check {
          name     = "prometheus_ui port alive"
          type     = "http"
          path     = "/-/healthy"
          interval = "10s"
          timeout  = "2s"
        }
      }
    }
  }
}
