job "env-demo" {
  datacenters = ["dc1"]

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "/usr/bin/env"
      }

      env = {
        "PATH"            = "/usr/local/bin:/usr/bin:/bin"
        "LANG"            = "C.UTF-8"
        "JAVA_OPTS"       = "-Xmx1g -Dnomad.alloc=${NOMAD_ALLOC_ID}"
        "WITH.DOTS"       = "ok"
        "with-dash"       = "ok"
        EMPTY             = ""
        QUOTED            = "say \"hello\""
        BACKSLASH         = "C:\\Program Files\\App"
        MULTI             = "line1\nline2"
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
