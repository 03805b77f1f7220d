// A single-node development agent.
bind_addr = "127.0.0.1"
log_level = "TRACE"
data_dir  = "/tmp/nomad-dev"

server {
  enabled          = true
  bootstrap_expect = 1
}

client {
  enabled = true
}

plugin "raw_exec" {
  config {
    enabled    = true
    no_cgroups = true
  }
}

plugin "exec" {
  config {
    allow_caps        = ["chown", "kill"]
    default_pid_mode  = "private"
    default_ipc_mode  = "private"
  }
}

plugin "nomad-driver-podman" {
  args = ["-log-level", "debug"]
  config {
    socket_path = "unix:///run/podman/podman.sock"
    volumes {
      enabled = true
    }
  }
}
