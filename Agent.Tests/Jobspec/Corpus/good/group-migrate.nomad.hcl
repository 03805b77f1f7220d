job "drainable" {
  datacenters = ["dc1"]

  group "web" {
    count = 4

    migrate {
      max_parallel     = 2
      health_check     = "checks"
      min_healthy_time = "15s"
      healthy_deadline = "2m"
    }

    task "web" {
      driver = "exec"

      config {
        command = "local/web"
      }
    }
  }
}
