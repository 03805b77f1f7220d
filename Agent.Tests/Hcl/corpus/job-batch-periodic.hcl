job "nightly-report" {
  datacenters = ["dc1", "dc2"]
  type        = "batch"

  periodic {
    crons            = ["0 2 * * *", "30 14 * * 1-5"]
    prohibit_overlap = true
    time_zone        = "America/New_York"
  }

  group "report" {
    reschedule {
      attempts       = 3
      interval       = "24h"
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "1h"
      unlimited      = false
    }

    task "generate" {
      driver = "exec"

      config {
        command = "/usr/local/bin/report"
        args    = ["--date", "${NOMAD_META_date}", "--out", "${NOMAD_ALLOC_DIR}/report.csv"]
      }

      meta {
        date = "yesterday"
      }

      logs {
        max_files     = 3
        max_file_size = 10
      }

      kill_timeout = "20s"
      kill_signal  = "SIGINT"

      resources {
        cpu    = 1000
        memory = 512
      }
    }
  }
}
