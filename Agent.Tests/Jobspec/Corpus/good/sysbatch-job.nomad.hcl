job "docker-prune" {
  datacenters = ["dc1"]
  type        = "sysbatch"

  periodic {
    cron = "@daily"
  }

  group "prune" {
    task "prune" {
      driver = "raw_exec"

      config {
        command = "/usr/bin/docker"
        args    = ["system", "prune", "-f"]
      }
    }
  }
}
