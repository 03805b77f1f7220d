job "cache-warm" {
  datacenters = ["dc1"]

  group "cache" {
    ephemeral_disk {
      sticky  = true
      migrate = true
      size    = 2048
    }

    task "memcached" {
      driver = "exec"

      config {
        command = "memcached"
      }
    }
  }
}
