job "meta-map" {
  datacenters = ["dc1"]

  meta = {
    "app.version" = "1.2.3"
    tier          = "gold"
  }

  group "g" {
    meta {
      owner-team = "infra"
    }

    task "t" {
      driver = "exec"

      config {
        command = "local/t"
      }

      meta = {
        "prometheus.io/scrape" = "true"
      }
    }
  }
}
