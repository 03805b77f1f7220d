job "edge" {
  datacenters = ["dc1"]

  group "stop-when-cut-off" {
    shutdown_delay               = "10s"
    stop_after_client_disconnect = "5m"

    task "agent" {
      driver = "exec"

      config {
        command = "local/agent"
      }
    }
  }

  group "keep-running" {
    max_client_disconnect = "1h"

    task "agent" {
      driver = "exec"

      config {
        command = "local/agent"
      }
    }
  }
}
