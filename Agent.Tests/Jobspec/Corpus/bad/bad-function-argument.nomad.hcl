job "bad" {
  group "g" {
    count = parseint("zz", 10)

    task "t" {
      driver = "exec"
    }
  }
}
