# Shapes real HCL2 files use: multi-line calls and conditionals, nested constructors, comments inside brackets.
locals {
  azs          = length(var.zones) > 0 ? var.zones : slice(data.zones.names, 0, 3)
  public_cidrs = [for i, _ in local.azs : cidrsubnet(var.cidr, 8, i)]
  name_prefix  = "${var.project}-${var.env}"
  egress       = var.nat || var.nat_instance
  rt_count     = var.nat ? (var.single ? 1 : length(local.azs)) : 1
  ok           = !(var.a && var.b)
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "logs.amazonaws.com" }
      Action = [
        "logs:CreateLogGroup", "logs:CreateLogStream", # two per line
        "logs:PutLogEvents"
      ]
    }]
  })
  route = var.nat ? (
    routes.private[var.single ? 0 : count.index].id
  ) : routes.private[0].id
  for_each = { for idx, v in var.entries : idx => v }
  groups   = try(each.value.groups, null)
  ids      = aws_subnet.private[*].id
  first    = data.cert.oidc[0].certificates[0].sha1
  tags = merge(
    { Name = var.name },
    var.tags
  )
  arn = "arn:aws:automate:${data.region.current.name}:ec2:recover"
}

job "web" {
  datacenters = [var.dc]
  type        = "service"

  group "g" {
    count = var.count * 2

    dynamic "task" {
      for_each = toset(var.tasks)
      labels   = [task.value]
      content {
        driver = "docker"
        config {
          image = "${var.image}:${var.tag}"
          args  = ["-port", "${NOMAD_PORT_http}", "-env", env["HOME"]]
        }
        env = {
          NODE  = "${node.unique.name}"
          INDEX = "${NOMAD_ALLOC_INDEX}"
        }
        template {
          data        = <<-EOT
            {{ range service "db" }}
            server {{ .Address }}:{{ .Port }}
            {{ end }}
            region = ${var.region}
          EOT
          destination = "local/conf"
        }
      }
    }
  }
}
