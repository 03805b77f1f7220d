# hash comment
// slash comment
/* block comment */
/*
 * multi-line block comment with "quotes" and { braces }
 */
a = 1 # trailing hash
b = 2 // trailing slashes
c = /* inline */ 3
d = "# not a comment"
e = "// not a comment either"
f = "/* nor this */"

list = [
  1, # one
  2, // two
  /* three */ 3,
]

obj = {
  # comment inside an object
  x = 1 // after value
  /* before key */ y = 2
}

block "label" { # comment after brace
  # comment in block
  z = true
} # comment after block
