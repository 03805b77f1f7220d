job "rolling" {
  datacenters = ["dc1"]

  update {
    max_parallel = 2
    stagger      = "1m"
  }

  group "inherits" {
    task "a" {
      driver = "exec"

      config {
        command = "local/a"
      }
    }
  }

  group "overrides" {
    update {
      max_parallel = 1
      canary       = 1
    }

    task "b" {
      driver = "exec"

      config {
        command = "local/b"
      }
    }
  }
}
