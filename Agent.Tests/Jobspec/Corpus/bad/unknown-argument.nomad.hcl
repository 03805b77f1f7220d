job "bad" {
  group "g" {
    task "t" {
      driver = "exec"
      colour = "red"

      config {
        command = "local/t"
      }
    }
  }
}
