empty {}
empty_spaced {
}

one_label "a" {}
two_labels "a" "b" {
  x = 1
}
three "a" "b" "c" {
  y = 2
}

repeated {
  n = 1
}
repeated {
  n = 2
}
repeated {
  n = 3
}

labeled "x" { v = 1 }
labeled "y" { v = 2 }
labeled "x" { v = 3 }

with-dash "label-with-dash" {
  attr-with-dash = true
  attr_with_underscore = false
}

outer {
  middle {
    inner {
      value = "deep"
    }
  }
  middle {
    inner {
      value = "second"
    }
  }
}

single_line { a = 1 }
bare_label ident {
  ok = true
}
