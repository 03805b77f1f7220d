region     = "global"
datacenter = "dc1"
data_dir   = "/var/lib/nomad"
plugin_dir = "/var/lib/nomad/plugins"
log_level  = "WARN"
log_json   = true
log_file   = "/var/log/nomad/"

enable_debug         = false
disable_update_check = true

addresses {
  http = "0.0.0.0"
  rpc  = "10.1.2.3"
  serf = "10.1.2.3"
}

acl {
  enabled    = true
  token_ttl  = "30s"
  policy_ttl = "60s"
}

tls {
  http = true
  rpc  = true

  ca_file   = "/etc/nomad.d/tls/nomad-ca.pem"
  cert_file = "/etc/nomad.d/tls/server.pem"
  key_file  = "/etc/nomad.d/tls/server-key.pem"

  verify_server_hostname = true
  verify_https_client    = false
}

consul {
  address             = "127.0.0.1:8500"
  server_service_name = "nomad"
  client_service_name = "nomad-client"
  auto_advertise      = true
  server_auto_join    = true
  client_auto_join    = true
  tags                = ["nomad", "infra"]
}

vault {
  enabled          = true
  address          = "https://vault.service.consul:8200"
  create_from_role = "nomad-cluster"
  default_identity {
    aud = ["vault.io"]
    ttl = "1h"
  }
}

ui {
  enabled = true
  consul {
    ui_url = "https://consul.example.com:8500/ui"
  }
  label {
    text             = "Production"
    background_color = "red"
    text_color       = "white"
  }
}

limits {
  https_handshake_timeout   = "5s"
  http_max_conns_per_client = 100
  rpc_handshake_timeout     = "5s"
  rpc_max_conns_per_client  = 100
}
