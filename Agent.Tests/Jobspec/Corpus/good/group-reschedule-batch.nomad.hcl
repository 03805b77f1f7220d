job "etl" {
  datacenters = ["dc1"]
  type        = "batch"

  group "load" {
    reschedule {
      attempts       = 3
      interval       = "2h"
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = false
    }

    task "load" {
      driver = "exec"

      config {
        command = "local/load"
      }
    }
  }
}
