job "team-a-api" {
  datacenters = ["dc1"]

  group "api" {
    consul {
      namespace = "team-a"
    }

    task "api" {
      driver = "exec"

      config {
        command = "local/api"
      }
    }
  }
}
