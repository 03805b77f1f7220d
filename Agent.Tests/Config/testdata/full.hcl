# Sets every key the agent config supports (ConfigLoaderTests checks that Merge carries each one).
region             = "europe"
datacenter         = "eu-west-1"
name               = "node-1"
data_dir           = "/opt/nomad"
bind_addr          = "10.0.0.5"
log_level          = "INFO"
plugin_dir         = "/opt/nomad/plugins"
leave_on_interrupt = true
leave_on_terminate = true

ports {
  http = 1
  rpc  = 2
  serf = 3
}

addresses {
  http = "127.0.0.1"
  rpc  = "127.0.0.2"
  serf = "127.0.0.3"
}

advertise {
  http = "10.0.0.1"
  rpc  = "10.0.0.2"
  serf = "10.0.0.3"
}

server {
  enabled                   = true
  bootstrap_expect          = 3
  data_dir                  = "/opt/nomad/server"
  num_schedulers            = 2
  heartbeat_grace           = "11s"
  min_heartbeat_ttl         = "12s"
  max_heartbeats_per_second = 13
  failover_heartbeat_ttl    = "14m"
  raft_multiplier = 2
  node_gc_threshold         = "15h"
  node_gc_interval          = "16m"
  job_gc_threshold          = "17h"
  eval_gc_threshold         = "18h"
  start_join                = ["a"]
  retry_join                = ["b"]
  retry_interval            = "19s"
  retry_max                 = 20
  rejoin_after_leave        = true
}

client {
  enabled           = true
  servers           = ["s:4647"]
  state_dir         = "/opt/nomad/client"
  alloc_dir         = "/opt/nomad/alloc"
  node_class        = "c"
  meta              = { m = "1" }
  options           = { o = "2" }
  network_interface = "eth0"
  network_speed     = 100
  gc_interval             = "2m"
  gc_max_allocs           = 40
  gc_disk_usage_threshold = 85

  reserved {
    cpu            = 1
    memory         = 2
    disk           = 3
    reserved_ports = "22"
  }

  host_volume "data" {
    path = "/srv"
  }

  artifact {
    http_read_timeout                = "10m"
    http_max_size                    = "1GB"
    decompression_file_count_limit   = 100
    decompression_size_limit         = "2GB"
    disable_filesystem_isolation     = true
    filesystem_isolation_extra_paths = ["d:r:/srv"]
  }
}

plugin "p" {
  args = ["-x"]
  config {
    k = "v"
  }
}
