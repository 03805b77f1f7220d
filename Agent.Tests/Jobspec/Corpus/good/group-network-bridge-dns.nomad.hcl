job "mesh" {
  datacenters = ["dc1"]

  group "api" {
    network {
      mode     = "bridge"
      hostname = "api-${NOMAD_ALLOC_INDEX}"

      port "http" {
        static       = 8080
        to           = 80
        host_network = "public"
      }

      port "admin" {
        to = 9000
      }

      dns {
        servers  = ["10.0.0.53", "1.1.1.1"]
        searches = ["service.consul"]
        options  = ["ndots:2"]
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:3"
        ports = ["http", "admin"]
      }
    }
  }
}
