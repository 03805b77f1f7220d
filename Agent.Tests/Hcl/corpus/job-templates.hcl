job "web" {
  datacenters = ["dc1"]

  group "web" {
    count = 3

    network {
      port "http" {}
    }

    task "nginx" {
      driver = "docker"

      config {
        image = "nginx:1.25"
        ports = ["http"]
        volumes = [
          "local/nginx.conf:/etc/nginx/conf.d/default.conf",
        ]
      }

      template {
        destination   = "local/nginx.conf"
        change_mode   = "signal"
        change_signal = "SIGHUP"
        data          = <<EOF
upstream backend {
{{ range nomadService "api" }}
  server {{ .Address }}:{{ .Port }};
{{ else }}server 127.0.0.1:65535; # force a 502
{{ end }}
}

server {
   listen {{ env "NOMAD_PORT_http" }};
   location / {
      proxy_pass http://backend;
      proxy_set_header Host "$host";
   }
}
EOF
      }

      template {
        destination = "secrets/app.env"
        env         = true
        data        = <<-EOT
          APP_NAME=web
          ALLOC_ID={{ env "NOMAD_ALLOC_ID" }}
            INDENTED=yes
          DIR=${NOMAD_ALLOC_DIR}
          EOT
      }

      template {
        destination = "local/empty.txt"
        data        = ""
        perms       = "0644"
        left_delimiter  = "[["
        right_delimiter = "]]"
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
