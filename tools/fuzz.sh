#!/bin/sh
# tools/fuzz.sh: run each libFuzzer harness for FUZZ_SECONDS (default 60).
# Usage: FUZZ_SECONDS=600 FUZZ_JOBS=2 sh tools/fuzz.sh build/fuzz/fuzz-mh ...
#
# Corpus: fuzz/corpus/<name> (kept between runs, ignored by git), seeded
# with fuzz/seeds/<name> (a tracked seed corpus, where a harness has one;
# fuzz/seeds/regen.sh rebuilds mobcap's) and fixtures/fuzz-regress/<name>.
# A crash leaves its input under fuzz/out/<name>/; the run then fails and
# says which file to copy into fixtures/fuzz-regress/<name>/ (replayed by
# `make check`) once fixed.
set -eu

secs=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
[ $# -gt 0 ] || { echo "fuzz: no harness given" >&2; exit 2; }

run_one() {
	bin=$1
	name=${bin##*/fuzz-}
	corpus=fuzz/corpus/$name
	out=fuzz/out/$name
	mkdir -p "$corpus" "$out"
	seeds=""
	for d in "fuzz/seeds/$name" "fixtures/fuzz-regress/$name"; do
		[ -d "$d" ] && seeds="$seeds $d"
	done
	log=$out/fuzz.log
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/" "$corpus" $seeds >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
		echo "fuzz: $name: ${secs}s, ${execs:-?} inputs, $cov, no finding"
	else
		echo "fuzz: $name: FINDING after at most ${secs}s; log $log" >&2
		ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* 2>/dev/null >&2 || true
		tail -40 "$log" >&2
		return 1
	fi
}

status=0
if [ "$jobs" -le 1 ]; then
	for b in "$@"; do run_one "$b" || status=1; done
else
	pids=""
	n=0
	for b in "$@"; do
		run_one "$b" &
		pids="$pids $!"
		n=$((n + 1))
		if [ "$n" -ge "$jobs" ]; then
			for p in $pids; do wait "$p" || status=1; done
			pids=""
			n=0
		fi
	done
	for p in $pids; do wait "$p" || status=1; done
fi
exit $status
