job "global-app" {
  multiregion {
    strategy {
      max_parallel = 1
      on_failure   = "fail_all"
    }

    region "west" {
      count       = 2
      datacenters = ["west-1"]

      meta {
        tier = "primary"
      }
    }

    region "east" {
      datacenters = ["east-1", "east-2"]
    }
  }

  group "app" {
    count = 0

    task "app" {
      driver = "exec"

      config {
        command = "local/app"
      }
    }
  }
}
