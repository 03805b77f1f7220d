# /etc/nomad.d/server.hcl
region     = "europe"
datacenter = "eu-west-1"
name       = "nomad-server-1"
data_dir   = "/opt/nomad/data"
bind_addr  = "0.0.0.0"
log_level  = "INFO"

leave_on_interrupt = true
leave_on_terminate = true

advertise {
  http = "10.0.0.11"
  rpc  = "10.0.0.11"
  serf = "10.0.0.11:5648"
}

ports {
  http = 4646
  rpc  = 4647
  serf = 4648
}

server {
  enabled          = true
  bootstrap_expect = 3
  num_schedulers   = 2

  heartbeat_grace           = "30s"
  min_heartbeat_ttl         = "20s"
  max_heartbeats_per_second = 25.5
  failover_heartbeat_ttl    = "10m"

  node_gc_threshold = "48h"
  job_gc_threshold  = "8h"
  eval_gc_threshold = "2h"

  server_join {
    retry_join     = ["10.0.0.11", "10.0.0.12", "10.0.0.13"]
    retry_max      = 5
    retry_interval = "15s"
  }

  encrypt = "cg8StVXbQJ0gPvMd9o7yrg=="
}

telemetry {
  collection_interval        = "1s"
  disable_hostname           = true
  prometheus_metrics         = true
  publish_allocation_metrics = true
  publish_node_metrics       = true
}
