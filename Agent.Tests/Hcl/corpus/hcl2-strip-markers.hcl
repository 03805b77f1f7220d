# Strip markers next to spaces, tabs and newlines, in quoted strings and both heredoc kinds.
a = "x  ${~ y}"
b = "x \n ${~ y}"
c = "a ${y ~} \t b"
d = "%{ for x in l ~}  ${x} %{~ endfor }"
e = <<-EOT
	tabbed ${x}
	  more
	EOT
f = <<EOT
%{ if a ~}
  yes
%{ else ~}
  no
%{ endif ~}
EOT
g = "${ {a = 1}.a }"
h = "%{ if a }${b}%{ endif }"
i = "${x}%{ if a }%{ endif }"
j = <<-EOT
    x
  %{~ if c ~}
    y
  %{~ endif ~}
  EOT
k = "100% ${x} $"
l = "a$${b}"
m = { "${x}" = 1 }
n = [for x in y : x if x]
