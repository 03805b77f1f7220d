job "tokens" {
  datacenters  = ["dc1"]
  consul_token = "1f0e2c8a-consul-token"
  vault_token  = "hvs.vault-token"

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
      }
    }
  }
}
