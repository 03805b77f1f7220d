job "shop" {
  datacenters = ["dc1"]

  group "backend" {
    count = 2

    task "wait-for-db" {
      lifecycle {
        hook    = "prestart"
        sidecar = false
      }

      driver = "exec"

      config {
        command = "sh"
        args    = ["-c", "until nc -z db.service.consul 5432; do sleep 1; done"]
      }
    }

    task "log-shipper" {
      lifecycle {
        hook    = "poststart"
        sidecar = true
      }

      driver = "exec"

      config {
        command = "local/shipper"
      }
    }

    task "app" {
      driver = "docker"
      leader = true

      config {
        image = "shop/backend:1.4.2"
      }
    }

    task "flush" {
      lifecycle {
        hook = "poststop"
      }

      driver = "exec"

      config {
        command = "local/flush"
      }
    }
  }

  group "cache" {
    task "redis" {
      driver = "docker"

      config {
        image = "redis:7"
      }
    }
  }
}
