image = "redis:7.2"
ports = ["db", "metrics"]
