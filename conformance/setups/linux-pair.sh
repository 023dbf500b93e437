#!/bin/sh
# setups/linux-pair.sh up IMPL PROFILE | down IMPL
# The `pair` topology: prober P and target T, the Linux kernel of this
# machine with a TCP listener on port 8080 (mobbed's tcp-listen service).
set -eu
case $1 in
up)
	[ "$2" = linux ] || { echo "linux-pair: no implementation '$2'" >&2; exit 2; }
	"$MOBBED" up pair PORT=8080
	cat >"$3" <<EOF
# the Linux kernel $(uname -r) in namespace $MOBBED_NAME-T
IMPL=linux
IMPL_VERSION="Linux $(uname -r)"
RUN_IN="$MOBBED exec P"
SRC=2001:db8:5::1
TARGET=2001:db8:5::2
TCP_OPEN=8080
TCP_CLOSED=8081
HOA=2001:db8:1::100
CLAIMS=""
EOF
	;;
down) "$MOBBED" down ;;
*) echo "usage: linux-pair.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
