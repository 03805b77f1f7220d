job "reindex" {
  datacenters = ["dc1"]
  type        = "batch"

  periodic {
    cron    = "*/15 * * * *"
    enabled = false
  }

  group "reindex" {
    task "reindex" {
      driver = "exec"

      config {
        command = "local/reindex"
      }
    }
  }
}
