job "hcl1-verbatim" {
  datacenters = ["dc1"]

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
        args = ["${NOMAD_ALLOC_INDEX}", "${attr.kernel.name}", "${var.not_evaluated}"]
      }

      env {
        X = "${var.not_evaluated}"
        Y = "${meta.rack}"
      }
    }
  }
}
