job "crlf" {
  datacenters = ["dc1"]
  # comment
  meta {
    a = "b"
  }
  text = <<EOF
line
EOF
}
