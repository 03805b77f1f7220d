job "video-encode" {
  type        = "batch"
  datacenters = ["dc1"]

  parameterized {
    payload       = "required"
    meta_required = ["input", "profile"]
    meta_optional = ["priority"]
  }

  group "encode" {
    task "ffmpeg" {
      driver = "docker"

      dispatch_payload {
        file = "job.json"
      }

      config {
        image   = "jrottenberg/ffmpeg:6-alpine"
        command = "ffmpeg"
        args = [
          "-i", "${NOMAD_META_input}",
          "-preset", "${NOMAD_META_profile}",
          "${NOMAD_TASK_DIR}/out.mp4",
        ]
      }

      env {
        ENCODER_THREADS = "4"
        PRIORITY        = "${NOMAD_META_priority}"
      }

      resources {
        cpu    = 4000
        memory = 2048
      }
    }
  }
}
