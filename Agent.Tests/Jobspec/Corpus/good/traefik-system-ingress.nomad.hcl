job "traefik" {
  datacenters = ["dc1"]
  type        = "system"

  group "traefik" {
    network {
      port "http" {
        static = 80
      }

      port "https" {
        static = 443
      }

      port "admin" {
        static = 8081
      }
    }

    service {
      name = "traefik"
      port = "admin"
      tags = ["ingress", "admin"]

      check {
        name     = "alive"
        type     = "http"
        port     = "admin"
        path     = "/ping"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "traefik" {
      driver = "docker"

      config {
        image        = "traefik:v2.9"
        network_mode = "host"
        volumes      = ["local/traefik.toml:/etc/traefik/traefik.toml"]
      }

      template {
        destination = "local/traefik.toml"
        data        = <<EOF
[entryPoints]
  [entryPoints.http]
  address = ":{{ env "NOMAD_PORT_http" }}"
  [entryPoints.traefik]
  address = ":{{ env "NOMAD_PORT_admin" }}"

[api]
  dashboard = true
  insecure  = true

[ping]
  entryPoint = "traefik"
EOF
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
