locals {
  base  = { a = "1", b = "2" }
  extra = { b = "20", c = "30" }
}

job "fn-collections" {
  datacenters = ["dc1"]

  meta {
    merged    = jsonencode(merge(local.base, local.extra))
    keys      = join(",", keys(local.extra))
    values    = join(",", values(local.base))
    lookup    = lookup(local.base, "z", "default")
    element   = element(["x", "y", "z"], 4)
    contains  = contains(["a", "b"], "b")
    length    = length(local.base)
    concat    = join(",", concat(["a"], ["b", "c"]))
    distinct  = join(",", distinct(["a", "b", "a"]))
    flatten   = join(",", flatten([["a"], ["b", ["c"]]]))
    range     = join(",", range(1, 4))
    zipmap    = jsonencode(zipmap(["k1", "k2"], ["v1", "v2"]))
    coalesce  = coalesce(null, "fallback")
    compact   = join(",", compact(["a", "", "b"]))
    slice     = join(",", slice(["a", "b", "c", "d"], 1, 3))
    sort      = join(",", sort(["c", "a", "b"]))
    index     = index(["a", "b", "c"], 2)
    chunks    = length(chunklist(["a", "b", "c"], 2))
    setunion  = join(",", setunion(["b", "a"], ["c"]))
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
