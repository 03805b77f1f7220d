variable "image" {
  type = string
}

job "bad" {
  group "g" {
    task "t" {
      driver = "docker"

      config {
        image = var.image
      }
    }
  }
}
