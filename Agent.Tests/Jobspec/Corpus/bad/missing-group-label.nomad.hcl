job "bad" {
  group {
    task "t" {
      driver = "exec"
    }
  }
}
