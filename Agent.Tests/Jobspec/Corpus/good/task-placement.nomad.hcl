job "picky" {
  datacenters = ["dc1"]

  group "picky" {
    task "picky" {
      driver = "docker"

      config {
        image = "example/picky:1"
      }

      constraint {
        attribute = "${driver.docker.version}"
        operator  = ">="
        value     = "20.10"
      }

      affinity {
        attribute = "${attr.cpu.arch}"
        value     = "amd64"
        weight    = 25
      }
    }
  }
}
