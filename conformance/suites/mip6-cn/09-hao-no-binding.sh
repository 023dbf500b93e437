# clause: RFC 6275 9.3.1, 9.3.3
# level: MUST
# title: a packet with a Home Address option for which there is no binding
#   is dropped, and a Binding Error status 1 goes to its source, naming the
#   home address of the option
#
#   prober (MN)                                correspondent (target)
#     | -- Echo Request + HAO(HoA), src CoA ---> |
#     | <-- BE status 1, Home Address HoA ------ |
#
# judge: class be, status 1, its Home Address the option's
probe echo -s "$COA" --hao "${HOME_PREFIX}c9" "$CN" --expect be --expect-status 1
judge MUST
