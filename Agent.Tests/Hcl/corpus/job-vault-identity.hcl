job "secrets-consumer" {
  datacenters = ["dc1"]

  group "app" {
    task "app" {
      driver = "docker"

      vault {
        role        = "app-role"
        change_mode = "restart"
      }

      identity {
        env  = true
        file = true
        aud  = ["vault.io"]
        ttl  = "1h"
      }

      template {
        data        = <<EOH
{{ with secret "database/creds/app" }}
DB_USER={{ .Data.username }}
DB_PASS={{ .Data.password }}
{{ end }}
{{ with nomadVar "nomad/jobs/secrets-consumer" }}
API_KEY={{ .api_key }}
{{ end }}
EOH
        destination = "secrets/db.env"
        env         = true
        splay       = "5s"
      }

      config {
        image = "example/app:1.0"
      }
    }
  }
}
