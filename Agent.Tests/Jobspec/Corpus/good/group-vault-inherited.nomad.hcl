job "group-vault" {
  datacenters = ["dc1"]

  vault {
    policies = ["job-wide"]
  }

  group "secrets" {
    vault {
      policies    = ["group-wide"]
      change_mode = "noop"
    }

    task "uses-group" {
      driver = "exec"

      config {
        command = "local/a"
      }
    }

    task "own" {
      driver = "exec"

      config {
        command = "local/b"
      }

      vault {
        policies = ["own"]
      }
    }
  }

  group "plain" {
    task "uses-job" {
      driver = "exec"

      config {
        command = "local/c"
      }
    }
  }
}
