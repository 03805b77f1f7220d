job "bad" {
  group "g" {
    bogus {
      enabled = true
    }

    task "t" {
      driver = "exec"
    }
  }
}
