# The job file the jobspec benchmark parses: about 200 lines of HCL2 with variables, locals, functions,
# for expressions, templates and dynamic blocks, as a real multi-service job file is written.

variable "datacenters" {
  type        = list(string)
  default     = ["dc1", "dc2"]
  description = "Where the job may run."
}

variable "region" {
  type    = string
  default = "global"
}

variable "image_tag" {
  type    = string
  default = "1.25.3"
}

variable "replicas" {
  type    = number
  default = 3

  validation {
    condition     = var.replicas > 0 && var.replicas <= 20
    error_message = "The replicas must be between 1 and 20."
  }
}

variable "services" {
  type = map(object({
    port   = number
    cpu    = number
    memory = number
  }))
  default = {
    api    = { port = 8080, cpu = 500, memory = 256 }
    web    = { port = 8081, cpu = 250, memory = 128 }
    worker = { port = 8082, cpu = 1000, memory = 512 }
  }
}

variable "labels" {
  type    = map(string)
  default = { team = "platform", tier = "backend", owner = "ops" }
}

locals {
  name        = "shop-${var.region}"
  total_cpu   = max([for s in values(var.services) : s.cpu]...) * length(var.services)
  port_labels = [for name, s in var.services : "${name}_http"]
  meta        = merge(var.labels, { version = var.image_tag, ports = join(",", local.port_labels) })
  upper_names = { for name, s in var.services : name => upper(name) }
  env_common = {
    LOG_LEVEL = "info"
    REGION    = var.region
    ALLOC     = "${NOMAD_ALLOC_INDEX}"
  }
}

job "shop" {
  region      = var.region
  datacenters = var.datacenters
  type        = "service"
  priority    = 50 + length(var.services) * 5
  meta        = local.meta

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  dynamic "constraint" {
    for_each = ["amd64", "x86_64"]
    content {
      attribute = "${attr.cpu.arch}"
      operator  = "set_contains_any"
      value     = constraint.value
    }
  }

  update {
    max_parallel     = 1
    min_healthy_time = "10s"
    healthy_deadline = "3m"
    auto_revert      = true
  }

  dynamic "group" {
    for_each = var.services
    labels   = [group.key]

    content {
      count = var.replicas

      network {
        port "http" {
          to = group.value.port
        }
        port "metrics" {}
      }

      restart {
        attempts = 2
        interval = "30m"
        delay    = "15s"
        mode     = "fail"
      }

      ephemeral_disk {
        size = 150 + group.value.memory / 4
      }

      task "app" {
        driver = "docker"

        config {
          image = "registry.local/${group.key}:${var.image_tag}"
          ports = ["http", "metrics"]
          args = [
            "--listen", ":${group.value.port}",
            "--name", local.upper_names[group.key],
          ]
        }

        env = merge(local.env_common, {
          SERVICE = group.key
          PORT    = "${NOMAD_PORT_http}"
        })

        template {
          destination = "local/app.conf"
          data        = <<-EOT
            name = "${group.key}"
            %{ for dc in var.datacenters ~}
            datacenter = "${dc}"
            %{ endfor ~}
            replicas = ${var.replicas}
          EOT
        }

        resources {
          cpu    = group.value.cpu
          memory = group.value.memory
        }

        logs {
          max_files     = 5
          max_file_size = 15
        }

        kill_timeout = "${10 + 5}s"
      }

      task "sidecar" {
        driver = "raw_exec"

        lifecycle {
          hook    = "prestart"
          sidecar = true
        }

        config {
          command = "/bin/sh"
          args    = ["-c", "exec sleep ${60 * 60}"]
        }

        resources {
          cpu    = 50
          memory = 32
        }
      }
    }
  }

  group "cache" {
    count = var.replicas > 2 ? 2 : 1

    network {
      port "redis" {
        static = 6379
      }
    }

    task "redis" {
      driver = "docker"

      config {
        image = "redis:7"
        ports = ["redis"]
      }

      resources {
        cpu    = floor(local.total_cpu / 10)
        memory = 256
      }
    }
  }

  group "batch" {
    count = 1

    task "report" {
      driver = "raw_exec"

      config {
        command = "/bin/echo"
        args    = [for k, v in var.labels : "${k}=${v}"]
      }

      meta = {
        checksum = substr(sha256(jsonencode(var.labels)), 0, 12)
        created  = formatdate("YYYY-MM-DD", "2026-01-02T03:04:05Z")
      }
    }
  }
}
