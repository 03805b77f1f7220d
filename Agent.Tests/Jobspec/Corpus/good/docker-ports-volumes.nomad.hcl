job "postgres" {
  datacenters = ["dc1"]

  group "db" {
    network {
      port "db" {
        static = 5432
      }
      port "metrics" {}
    }

    volume "pgdata" {
      type      = "host"
      source    = "pgdata"
      read_only = false
    }

    task "postgres" {
      driver = "docker"

      config {
        image   = "postgres:15"
        ports   = ["db", "metrics"]
        volumes = ["local/init.sql:/docker-entrypoint-initdb.d/init.sql"]
      }

      volume_mount {
        volume      = "pgdata"
        destination = "/var/lib/postgresql/data"
      }

      env {
        POSTGRES_PASSWORD = "example"
        PGDATA            = "/var/lib/postgresql/data/pgdata"
      }

      resources {
        cpu    = 1000
        memory = 1024
      }
    }
  }
}
