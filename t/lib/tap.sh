# t/lib/tap.sh: what the sh integration tests share.  Source it:
#   . "$here/t/lib/tap.sh"
#   need_root "network namespaces"; need_cmds tshark named
#   ok $? "what it checks"; is "$got" "$want" "what"; ... | diag
n=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
	[ "$1" = 0 ] # the caller can chain a diagnosis: ok $? "..." || ... | diag
}
diag() { sed 's/^/# /'; }
is() { # got want what
	[ "$1" = "$2" ]
	_r=$?
	ok $_r "$3"
	[ $_r = 0 ] || echo "# got '$1', want '$2'"
}
# SKIP the whole file unless root
need_root() {
	[ "$(id -u)" = 0 ] && return 0
	echo "1..0 # SKIP needs root for $1"
	exit 0
}
# SKIP the whole file unless every command exists (sbin included)
need_cmds() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
		command -v "$_c" >/dev/null 2>&1 || { echo "1..0 # SKIP $_c missing (make deps installs it)"; exit 0; }
	done
}
