data_dir  = "/opt/nomad/data"
log_level = "DEBUG"

client {
  enabled           = true
  servers           = ["10.0.0.11:4647", "10.0.0.12:4647"]
  node_class        = "compute"
  network_interface = "eth0"
  network_speed     = 1000
  state_dir         = "/opt/nomad/client"
  alloc_dir         = "/opt/nomad/alloc"

  meta {
    rack          = "r12"
    instance_type = "m5.large"
    zone_id       = "use1-az1"
  }

  options = {
    "driver.raw_exec.enable"    = "1"
    "docker.cleanup.image"      = "false"
    "fingerprint.denylist"      = "env_aws,env_gce"
    "user.denylist"             = "root,ubuntu"
  }

  reserved {
    cpu            = 500
    memory         = 512
    disk           = 1024
    reserved_ports = "22,80,8500-8600"
  }

  host_volume "mysql" {
    path      = "/opt/mysql/data"
    read_only = false
  }

  host_volume "certs" {
    path      = "/etc/ssl/certs"
    read_only = true
  }
}

plugin "docker" {
  config {
    allow_privileged = false
    volumes {
      enabled      = true
      selinuxlabel = "z"
    }
    gc {
      image       = true
      image_delay = "3m"
      container   = true
    }
    allow_caps = ["audit_write", "chown", "dac_override", "fowner", "kill", "net_bind_service"]
  }
}
