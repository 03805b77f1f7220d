zero       = 0
int        = 42
negative   = -7
big        = 9007199254740993
float      = 3.14159
neg_float  = -0.5
exp        = 1e3
exp_neg    = 2.5e-3
exp_upper  = 6E2
exp_plus   = 1e+2
frac_zero  = 1.0
list       = [1, -1, 1.5, -1.5e1]
map        = { a = 0, b = -0, c = 100000000 }
