job "vaulted" {
  datacenters = ["dc1"]

  group "app" {
    task "app" {
      driver = "exec"

      config {
        command = "local/app"
      }

      vault {
        policies    = ["app", "logging"]
        change_mode = "noop"
      }
    }
  }
}
