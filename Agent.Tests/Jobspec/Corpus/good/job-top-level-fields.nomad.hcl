job "billing" {
  name        = "billing-api"
  region      = "eu-west"
  namespace   = "finance"
  datacenters = ["eu-west-1a", "eu-west-1b"]
  type        = "service"
  priority    = 80
  all_at_once = true

  meta {
    team  = "payments"
    owner = "alice@example.com"
  }

  group "api" {
    task "api" {
      driver = "exec"

      config {
        command = "/opt/billing/api"
      }
    }
  }
}
