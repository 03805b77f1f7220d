job "mysql" {
  datacenters = ["dc1"]

  group "db" {
    volume "data" {
      type            = "csi"
      source          = "mysql-data"
      read_only       = false
      attachment_mode = "file-system"
      access_mode     = "single-node-writer"
      per_alloc       = true

      mount_options {
        fs_type     = "ext4"
        mount_flags = ["noatime"]
      }
    }

    volume "certs" {
      type      = "host"
      source    = "tls-certs"
      read_only = true
    }

    task "mysql" {
      driver = "docker"

      config {
        image = "mysql:8"
      }

      volume_mount {
        volume      = "data"
        destination = "/var/lib/mysql"
        read_only   = false
      }

      volume_mount {
        volume           = "certs"
        destination      = "/etc/mysql/certs"
        read_only        = true
        propagation_mode = "host-to-task"
      }
    }
  }
}
