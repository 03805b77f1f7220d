variable "port" {
  type    = number
  default = 80

  validation {
    condition     = var.port > 1024
    error_message = "The port must be above 1024."
  }
}

job "bad" {
  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
        args    = ["--port", var.port]
      }
    }
  }
}
