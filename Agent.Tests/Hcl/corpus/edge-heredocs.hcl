plain = <<EOF
line one
  line two keeps its indent
"quotes" and \backslashes\ stay as written: \n \t \u00e9
EOF

empty = <<EOF
EOF

indented = <<-EOT
    first
      second (two more)

    after a blank line
    EOT

tabs = <<-TAB
	tab-indented
	  then spaces
	TAB

with_template = <<HEREDOC
Hello ${name}!
%{ for x in items ~}
- ${x}
%{ endfor ~}
Escaped: $${not_interpolated} %%{not_a_directive}
HEREDOC

marker_like = <<END
END is only a marker when alone on its line: END
  ENDING
END

closing_indented = <<EOF
body
    EOF

json = <<-JSON
  {
    "key": "value",
    "list": [1, 2, 3]
  }
  JSON

after = "attributes still work after heredocs"

block {
  inner = <<-X
    inside a block
  X
}
