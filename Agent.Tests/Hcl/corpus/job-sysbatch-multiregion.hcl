job "patch-hosts" {
  type = "sysbatch"

  multiregion {
    strategy {
      max_parallel = 1
      on_failure   = "fail_all"
    }

    region "west" {
      count       = 2
      datacenters = ["west-1"]
      meta {
        my-key = "my-value-west"
      }
    }

    region "east" {
      count       = 1
      datacenters = ["east-1", "east-2"]
    }
  }

  group "patch" {
    task "apt" {
      driver = "raw_exec"
      config {
        command = "/usr/bin/apt-get"
        args    = ["-y", "upgrade"]
      }
      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
