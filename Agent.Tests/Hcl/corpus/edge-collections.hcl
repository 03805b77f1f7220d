empty_list = []
empty_map  = {}
trailing   = ["a", "b",]
multiline  = [
  "one",
  "two",
  "three",
]
nested_lists = [[1, 2], [], [[3]]]
list_of_maps = [
  { name = "a", port = 80 },
  {
    name = "b"
    port = 443
  },
]
map_of_lists = {
  hosts = ["h1", "h2"]
  ports = [80, 443]
}
nested_map = {
  level1 = {
    level2 = {
      level3 = "deep"
    }
  }
}
separators = { a = 1, "b" = 2, c: 3 }
newline_sep = {
  a = 1
  b = 2,
  c = 3
}
quoted_keys = {
  "with space"  = 1
  "with.dot"    = 2
  "with-dash"   = 3
  "ünïcødé"     = 4
}
mixed = [true, false, null, 1, "s", [], {}]
