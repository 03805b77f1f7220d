job "solo" {
  datacenters = ["dc1"]

  task "worker" {
    driver = "exec"

    config {
      command = "local/worker"
    }
  }
}
