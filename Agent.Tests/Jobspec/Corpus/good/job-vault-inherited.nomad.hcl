job "secrets" {
  datacenters = ["dc1"]

  vault {
    policies = ["app-read"]
  }

  group "app" {
    task "reader" {
      driver = "exec"

      config {
        command = "local/reader"
      }
    }

    task "writer" {
      driver = "exec"

      config {
        command = "local/writer"
      }

      vault {
        policies      = ["app-write"]
        namespace     = "engineering"
        change_mode   = "signal"
        change_signal = "SIGUSR1"
        env           = false
      }
    }
  }
}
