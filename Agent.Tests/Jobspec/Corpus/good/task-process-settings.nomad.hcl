job "daemon" {
  datacenters = ["dc1"]

  group "daemon" {
    task "daemon" {
      driver         = "exec"
      user           = "nobody"
      kill_timeout   = "20s"
      kill_signal    = "SIGINT"
      shutdown_delay = "5s"
      kind           = "connect-proxy:web"

      config {
        command = "local/daemon"
      }

      env {
        LOG_LEVEL = "debug"
        HOME      = "/local"
      }
    }
  }
}
