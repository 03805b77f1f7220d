job "frontend" {
  datacenters = ["dc1"]

  group "web" {
    network {
      mode = "bridge"

      port "http" {
        to = 8080
      }
    }

    service {
      name                = "web"
      port                = "http"
      tags                = ["v1", "public"]
      canary_tags         = ["canary"]
      enable_tag_override = true
      address_mode        = "alloc"
      task                = "web"
      on_update           = "ignore_warnings"

      meta {
        version = "1"
      }

      canary_meta {
        version = "2"
      }

      connect {
        native = true
      }

      check {
        name     = "alive"
        type     = "http"
        path     = "/healthz"
        interval = "5s"
        timeout  = "1s"
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "example/web:1"
      }
    }
  }
}
