job "proxy" {
  datacenters = ["dc1"]

  group "proxy" {
    task "nginx" {
      driver = "docker"

      config {
        image = "nginx:1.25"

        mount {
          type     = "bind"
          source   = "local/nginx.conf"
          target   = "/etc/nginx/nginx.conf"
          readonly = true
        }

        mount {
          type   = "tmpfs"
          target = "/var/cache/nginx"
        }
      }
    }
  }
}
