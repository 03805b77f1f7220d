job "templated" {
  datacenters = ["dc1"]

  group "app" {
    task "app" {
      driver = "exec"

      config {
        command = "local/app"
      }

      template {
        source          = "local/app.conf.tpl"
        destination     = "local/app.conf"
        change_mode     = "signal"
        change_signal   = "sighup"
        splay           = "10s"
        perms           = "0600"
        left_delimiter  = "[["
        right_delimiter = "]]"

        wait {
          min = "2s"
          max = "10s"
        }
      }

      template {
        data        = "{{ with secret \"kv/data/app\" }}{{ .Data.data.token }}{{ end }}"
        destination = "secrets/token"
        change_mode = "noop"
        vault_grace = "15s"
      }

      template {
        data        = "reload me"
        destination = "local/reload.txt"
        change_mode = "script"

        change_script {
          command       = "/local/reload.sh"
          args          = ["-v"]
          timeout       = "20s"
          fail_on_error = true
        }
      }

      template {
        data        = "signal default"
        destination = "local/signal.txt"
        change_mode = "signal"
      }
    }
  }
}
