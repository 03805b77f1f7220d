variable "region" {
  type    = string
  default = "global"
}

locals {
  count     = 3 * 2 + 1
  neg       = -5
  negx      = -var.x
  not       = !true
  cmp       = var.a >= 2 && var.b != "x" || !var.c
  cond      = var.enabled ? "yes" : "no"
  nested    = var.a ? var.b ? 1 : 2 : 3
  parens    = (1 + 2) * 3
  trav      = var.servers[0].name
  legacy    = var.list.0.id
  strindex  = env["HOME"]
  dynindex  = var.m[var.k]
  splat     = var.items[*].id
  attrsplat = var.items.*.id
  call      = format("%s-%d", var.name, 3)
  expand    = max(var.nums...)
  callattr  = lookup(var.m, "k").field
  tuple     = [1, var.x, "s", [true, null]]
  obj       = { a = 1, "b" = var.y, c : 3 }
  computed  = { (var.k) = 1 }
  forlist   = [for s in var.list : upper(s) if s != ""]
  forobj    = { for k, v in var.map : k => v... }
  multi = [
    1,
    2 +
    3,
  ]
  call_ml = merge(
    var.a,
    { x = 1 },
  )
  interp   = "${var.region}-dc"
  only     = "${var.count}"
  esc      = "$${NOMAD_ALLOC_ID} %%{x}"
  exp      = 1.5e3
}
