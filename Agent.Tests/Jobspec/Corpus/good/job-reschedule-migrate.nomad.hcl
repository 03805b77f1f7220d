job "resilient" {
  datacenters = ["dc1"]

  reschedule {
    delay          = "1m"
    delay_function = "fibonacci"
    max_delay      = "2h"
    unlimited      = true
  }

  migrate {
    max_parallel     = 2
    health_check     = "task_states"
    min_healthy_time = "20s"
    healthy_deadline = "10m"
  }

  group "a" {
    task "a" {
      driver = "exec"

      config {
        command = "local/a"
      }
    }
  }

  group "b" {
    reschedule {
      attempts  = 5
      interval  = "1h"
      unlimited = false
    }

    migrate {
      max_parallel = 1
    }

    task "b" {
      driver = "exec"

      config {
        command = "local/b"
      }
    }
  }
}
