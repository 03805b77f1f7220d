job "compute" {
  datacenters = ["dc1"]

  group "compute" {
    task "solver" {
      driver = "exec"

      config {
        command = "local/solver"
      }

      resources {
        cores      = 2
        memory     = 512
        memory_max = 1024
      }
    }
  }
}
