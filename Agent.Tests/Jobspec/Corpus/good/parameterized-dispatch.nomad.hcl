job "video-encode" {
  datacenters = ["dc1"]
  type        = "batch"

  parameterized {
    payload       = "required"
    meta_required = ["input_url"]
    meta_optional = ["preset"]
  }

  group "encode" {
    task "ffmpeg" {
      driver = "exec"

      config {
        command = "/usr/bin/ffmpeg"
        args    = ["-i", "${NOMAD_META_input_url}", "-preset", "${NOMAD_META_preset}", "local/out.mp4"]
      }

      dispatch_payload {
        file = "input.json"
      }

      meta {
        preset = "fast"
      }
    }
  }
}
