job "heredocs" {
  datacenters = ["dc1"]

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "/bin/sh"
        args = ["-c", <<EOF
echo "starting"
exec local/app --port ${NOMAD_PORT_http}
EOF
        ]
      }

      template {
        destination = "local/indented.conf"
        data        = <<-CONF
          server {
            listen 80;
          }
        CONF
      }
    }
  }
}
