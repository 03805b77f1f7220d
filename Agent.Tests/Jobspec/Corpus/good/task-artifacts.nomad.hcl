job "fetcher" {
  datacenters = ["dc1"]

  group "fetcher" {
    task "app" {
      driver = "exec"

      config {
        command = "local/app/bin/app"
      }

      artifact {
        source      = "https://releases.example.com/app/1.2.0/app_linux_amd64.tar.gz"
        destination = "local/app"

        options {
          checksum = "sha256:0123456789abcdef"
        }
      }

      artifact {
        source = "https://example.com/config/app.yaml"
        mode   = "file"
      }

      artifact {
        source      = "git::https://github.com/example/scripts"
        destination = "local/scripts"

        headers {
          X-Token = "abc"
        }
      }

      artifact {
        source = "https://example.com/tools.zip"
      }
    }
  }
}
