job "postgres" {
  datacenters = ["dc1"]

  group "db" {
    volume "pgdata" {
      type            = "csi"
      source          = "pgdata"
      read_only       = false
      attachment_mode = "file-system"
      access_mode     = "single-node-writer"
      per_alloc       = true

      mount_options {
        fs_type     = "ext4"
        mount_flags = ["noatime", "nodiratime"]
      }
    }

    volume "certs" {
      type      = "host"
      source    = "tls-certs"
      read_only = true
    }

    task "postgres" {
      driver = "docker"

      volume_mount {
        volume      = "pgdata"
        destination = "/var/lib/postgresql/data"
      }

      volume_mount {
        volume      = "certs"
        destination = "/etc/ssl/pg"
        read_only   = true
      }

      config {
        image = "postgres:16"
        mount {
          type     = "tmpfs"
          target   = "/dev/shm"
          readonly = false
          tmpfs_options {
            size = 134217728
          }
        }
        ulimit {
          nofile = "65536:65536"
        }
      }

      resources {
        cpu    = 2000
        memory = 4096
      }
    }
  }
}
