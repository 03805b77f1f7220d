locals {
  name = "  Web-Frontend  "
}

job "fn-string" {
  datacenters = ["dc1"]

  meta {
    trimmed       = trimspace(local.name)
    upper         = upper("abc")
    lower         = lower("MiXeD")
    title         = title("hello world")
    formatted     = format("%s-%03d", "web", 7)
    joined        = join(",", ["a", "b", "c"])
    replaced      = replace("1.2.3", ".", "_")
    substr        = substr("nomad-agent", 0, 5)
    trimprefix    = trimprefix("v1.4.0", "v")
    trimsuffix    = trimsuffix("app.tar.gz", ".gz")
    trim          = trim("--x--", "-")
    chomp         = chomp("line\n")
    strrev        = strrev("abc")
    indent        = indent(2, "a\nb")
    regex_replace = regex_replace("a1b22c", "[0-9]+", "#")
    split_count   = length(split(",", "x,y,z"))
    formatlist    = join(" ", formatlist("<%s>", ["p", "q"]))
    strlen        = strlen("héllo")
  }

  group "g" {
    task "t" {
      driver = "exec"

      config {
        command = "local/t"
      }
    }
  }
}
