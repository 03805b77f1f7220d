job "hcl1-batch" {
  datacenters = ["dc1"]
  type = "batch"

  periodic {
    cron = "0 */6 * * *"
    prohibit_overlap = true
  }

  constraint {
    attribute = "${attr.kernel.name}"
    value = "linux"
  }

  meta {
    owner = "ops"
  }

  group "g" {
    task "t" {
      driver = "raw_exec"

      config {
        command = "/bin/true"
      }
    }
  }
}
