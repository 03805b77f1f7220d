a = "x ${~ var.y ~} z"
b = "%{ if var.on }on%{ else }off%{ endif }"
c = "%{ for i, n in var.names }${i}=${n},%{ endfor }"
d = <<EOT
  hello ${var.name}
  %{~ if var.x ~}
    yes
  %{~ endif ~}
  bye
EOT
e = <<-EOT
    one
      two ${var.x}
    three
  EOT
f = "tab\there \u00e9 \"q\" \\ end"
g = "a ${"b"} c"
h = <<-EOT
    %{ for x in var.l ~}
    item ${x}
    %{ endfor ~}
  EOT
i = "${var.a}${var.b}"
j = "a $${b} ${c} %%{d}"
k = "x ${true} ${1.5} ${-1} y"
l = { a.b = 1, x[0] = 2, "q" = 3, 4 = 5 }
m = "%{ if c }yes%{ endif }"
n = "  ${~ x}"
o = <<EOT
  a
  ${~ x}
EOT
p = "$${x}"
