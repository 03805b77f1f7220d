job "flaky" {
  datacenters = ["dc1"]

  group "workers" {
    restart {
      attempts = 5
      interval = "10m"
      delay    = "25s"
      mode     = "delay"
    }

    task "steady" {
      driver = "exec"

      config {
        command = "local/steady"
      }
    }

    task "fragile" {
      driver = "exec"

      config {
        command = "local/fragile"
      }

      restart {
        attempts = 1
      }
    }
  }
}
