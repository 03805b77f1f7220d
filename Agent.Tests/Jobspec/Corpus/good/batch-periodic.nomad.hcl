job "nightly-report" {
  datacenters = ["dc1"]
  type        = "batch"

  periodic {
    cron             = "0 2 * * *"
    prohibit_overlap = true
    time_zone        = "Europe/Paris"
  }

  group "report" {
    task "generate" {
      driver = "raw_exec"

      config {
        command = "/usr/local/bin/report"
        args    = ["--since", "24h"]
      }

      resources {
        cpu    = 500
        memory = 256
      }
    }
  }
}
