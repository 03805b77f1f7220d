job "bad" {
  meta {
    shout = upper("a", "b")
  }

  group "g" {
    task "t" {
      driver = "exec"
    }
  }
}
