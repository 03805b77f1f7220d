job "hello" {
  type = "batch"

  group "hello" {
    task "hello" {
      driver = "exec"

      config {
        command = "echo"
        args    = ["hi"]
      }
    }
  }
}
