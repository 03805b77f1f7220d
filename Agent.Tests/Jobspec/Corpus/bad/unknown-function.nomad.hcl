job "bad" {
  group "g" {
    count = nosuch(1)

    task "t" {
      driver = "exec"
    }
  }
}
