job "csi-ebs-nodes" {
  datacenters = ["dc1"]
  type        = "system"

  group "nodes" {
    task "plugin" {
      driver = "docker"

      config {
        image      = "amazon/aws-ebs-csi-driver:v1.5.0"
        args       = ["node", "--endpoint=unix://csi/csi.sock"]
        privileged = true
      }

      csi_plugin {
        id        = "aws-ebs0"
        type      = "node"
        mount_dir = "/csi"
      }
    }
  }
}
