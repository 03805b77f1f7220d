job "fn-encoding" {
  datacenters = ["dc1"]

  meta {
    json    = jsonencode({ name = "web", ports = [80, 443], tls = true })
    decoded = jsondecode("{\"a\": \"b\"}").a
    b64     = base64encode("hello nomad")
    b64d    = base64decode("bm9tYWQ=")
    url     = urlencode("a b&c=d")
    csv     = csvdecode("name,port\nweb,80\n")[0].port
    yaml    = yamldecode("k: v\n").k
    md5     = md5("nomad")
    sha1    = sha1("nomad")
    sha256  = sha256("nomad")
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
