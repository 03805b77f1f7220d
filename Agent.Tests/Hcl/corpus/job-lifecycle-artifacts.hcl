job "app-with-hooks" {
  datacenters = ["dc1"]
  all_at_once = false

  meta = {
    owner   = "platform-team"
    version = "1.4.2"
  }

  group "app" {
    count = 2

    task "wait-for-db" {
      lifecycle {
        hook    = "prestart"
        sidecar = false
      }

      driver = "exec"
      config {
        command = "sh"
        args    = ["-c", "until nc -z db.service 5432; do sleep 1; done"]
      }
    }

    task "log-shipper" {
      lifecycle {
        hook    = "poststart"
        sidecar = true
      }
      driver = "docker"
      config {
        image = "fluent/fluent-bit:2.2"
      }
    }

    task "app" {
      driver = "java"

      artifact {
        source      = "https://example.com/releases/app-1.4.2.jar"
        destination = "local/"
        mode        = "file"

        options {
          checksum = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
        }

        headers {
          User-Agent = "nomad"
          X-Token    = "${NOMAD_META_token}"
        }
      }

      config {
        jar_path    = "local/app-1.4.2.jar"
        jvm_options = ["-Xmx512m", "-Xms256m", "-Dfile.encoding=UTF-8"]
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }

    task "cleanup" {
      lifecycle {
        hook = "poststop"
      }
      driver = "raw_exec"
      config {
        command = "/bin/rm"
        args    = ["-rf", "/tmp/app-${NOMAD_ALLOC_ID}"]
      }
    }
  }
}
