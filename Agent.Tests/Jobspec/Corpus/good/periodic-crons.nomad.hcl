# Nomad 1.6's crons: several schedules, the earliest due one launches.
job "backups" {
  datacenters = ["dc1"]
  type        = "batch"

  periodic {
    crons            = ["0 2 * * *", "*/5 * * * * * *"]
    prohibit_overlap = true
    time_zone        = "America/New_York"
  }

  group "backup" {
    task "dump" {
      driver = "raw_exec"

      config {
        command = "/usr/local/bin/dump"
      }
    }
  }
}
