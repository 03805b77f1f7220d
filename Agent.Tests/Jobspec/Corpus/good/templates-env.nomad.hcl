job "api" {
  datacenters = ["dc1"]

  group "api" {
    task "api" {
      driver = "exec"

      config {
        command = "local/api"
      }

      template {
        data        = <<EOH
DB_HOST={{ key "config/api/db_host" }}
LOG_LEVEL=info
EOH
        destination = "secrets/api.env"
        env         = true
      }

      template {
        data          = "port: {{ env \"NOMAD_PORT_http\" }}\n"
        destination   = "local/config.yml"
        change_mode   = "signal"
        change_signal = "SIGUSR1"
      }
    }
  }
}
