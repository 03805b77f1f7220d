job "chatty" {
  datacenters = ["dc1"]

  group "chatty" {
    task "chatty" {
      driver = "exec"

      config {
        command = "local/chatty"
      }

      logs {
        max_files     = 3
        max_file_size = 15
      }
    }
  }
}
