job "fn-numeric" {
  datacenters = ["dc1"]

  meta {
    max      = max(3, 9, 4)
    min      = min(3, 9, 4)
    abs      = abs(-7)
    ceil     = ceil(4.2)
    floor    = floor(4.8)
    pow      = pow(2, 10)
    parseint = parseint("ff", 16)
    signum   = signum(-12)
  }

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
      }

      resources {
        cpu    = max(250, 100)
        memory = pow(2, 8)
      }
    }
  }
}
