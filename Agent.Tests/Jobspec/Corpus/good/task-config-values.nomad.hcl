job "grafana" {
  datacenters = ["dc1"]

  group "grafana" {
    task "grafana" {
      driver = "docker"

      config {
        image          = "grafana/grafana:9.3.0"
        ports          = ["ui"]
        privileged     = false
        shm_size       = 268435456
        cpu_cfs_period = 100000
        cpu_ratio      = 0.5
        command        = "grafana-server"
        args           = []

        labels = {
          team               = "observability"
          "com.example.tier" = "frontend"
        }
      }
    }
  }
}
