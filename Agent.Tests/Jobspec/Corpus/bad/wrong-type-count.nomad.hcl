job "bad" {
  group "g" {
    count = "three"

    task "t" {
      driver = "exec"
    }
  }
}
