job "bad" {
  datacenters = 42

  group "g" {
    task "t" {
      driver = "exec"
    }
  }
}
