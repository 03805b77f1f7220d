job "runtime-refs" {
  datacenters = ["dc1"]

  group "g" {
    count = 2

    task "t" {
      driver = "exec"

      config {
        command = "local/t"
        args = [
          "--index=${NOMAD_ALLOC_INDEX}",
          "--kernel=${attr.kernel.name}",
          "--node=${node.unique.id}",
          "--rack=${meta.rack}",
          "--home=${env["HOME"]}",
          "--port=${NOMAD_PORT_http}",
          "--dc=${node.datacenter}",
        ]
      }

      env {
        ALLOC = "${NOMAD_ALLOC_ID}"
        MIXED = "prefix-${NOMAD_JOB_NAME}-suffix"
      }
    }
  }
}
