#!/usr/bin/env bash
# Instructions per request and per byte, counted by callgrind in a program built the way a user's
# crate builds this one (benches/user-build: a separate crate depending on this one by path,
# release, no LTO, one codegen unit), next to a hand-written insert and tower-http in the same
# run. Callgrind counts the same instructions for the same binary and input however busy the
# machine is.
#
#   bash benches/instructions.sh            # needs valgrind (Debian: apt-get install valgrind)
#
# Each case runs N, 2N and 3N times; the difference of the whole-process counts, divided by 2N,
# is the cost of one run with start-up cancelled out. Stamping and validating are given above a
# no-op inner service with the same request; the check example is measured as a whole process
# over a generated corpus (benches/corpus/make.py).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }

(cd benches/user-build && cargo build --release --quiet)
bin=benches/user-build/target/release/mde-partner-ua-user-build
cargo build --release --quiet --example check
check=target/release/examples/check

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Whole-process instructions of one run of `$@` (the check example exits 1 when a line is not a
# partner value; anything above that is a failure).
total() {
  local rc=0
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$@" >/dev/null 2>"$out/log" || rc=$?
  [ "$rc" -le 1 ] || { cat "$out/log" >&2; exit 1; }
  sed -n 's/^summary: //p; s/^totals: //p' "$out/cg" | head -n 1
}

# Instructions of one run of a harness case, and whether N, 2N and 3N agree (they must).
per_run() {
  local case=$1 n=$2 a b c
  a=$(total "$bin" "$case" "$n")
  b=$(total "$bin" "$case" $((2 * n)))
  c=$(total "$bin" "$case" $((3 * n)))
  python3 -c "
a, b, c, n = $a, $b, $c, $n
assert abs((b - a) - (c - b)) <= n // 100 + 2, 'not linear: %d %d %d' % (a, b, c)
print((c - a) / (2 * n))"
}

declare -A cost
for case in noop noop-ua noop-curl insert insert-held tower-http replace-static replace-runtime \
            prepend-curl reject-68; do
  cost[$case]=$(per_run "$case" 2000)
done
for case in parse-64k parse-64k-base validate-flat-64k validate-mixed-64k validate-deep-64k; do
  cost[$case]=$(per_run "$case" 20)
done

python3 benches/corpus/make.py "$out/corpus" 2>/dev/null
corpus_bytes=$(wc -c < "$out/corpus")
check_total=$(total "$check" < "$out/corpus")
empty_total=$(total "$check" < /dev/null)

python3 - "${cost[noop]}" "${cost[noop-ua]}" "${cost[noop-curl]}" "${cost[insert]}" \
  "${cost[insert-held]}" "${cost[tower-http]}" "${cost[replace-static]}" \
  "${cost[replace-runtime]}" "${cost[prepend-curl]}" "${cost[reject-68]}" \
  "${cost[parse-64k]}" "${cost[parse-64k-base]}" "$check_total" "$empty_total" "$corpus_bytes" \
  "${cost[validate-flat-64k]}" "${cost[validate-mixed-64k]}" "${cost[validate-deep-64k]}" <<'PY'
import sys
(noop, noop_ua, noop_curl, insert, held, tower_http, static, runtime, prepend, reject,
 parse, parse_base, check, empty, corpus, flat, mixed, deep) = map(float, sys.argv[1:])
b = insert - noop
print(f"Stamping, instructions per request above a no-op inner service (no-op: {noop:.0f}):")
print(f"  {'case':<58}{'instr':>8}{'ratio to b':>12}")
for name, value in [
    ("(b) hand-written insert(USER_AGENT, CONST.clone())", insert - noop),
    ("    the same with a value held at run time (floor)", held - noop),
    ("(c) tower-http SetRequestHeaderLayer::overriding", tower_http - noop),
    ("PartnerUserAgentLayer::new, from_static value", static - noop),
    ("PartnerUserAgentLayer::new, PartnerUserAgent::new value", runtime - noop),
    ("PartnerUserAgentLayer::prepend, caller sent curl/8.5.0", prepend - noop_curl),
]:
    print(f"  {name:<58}{value:>8.0f}{value / b:>12.3f}")
print()
print("Validation:")
print(f"  ValidateUserAgentLayer::reject, 68-byte value: {reject - noop_ua:.0f} per request above "
      f"a no-op with the same request ({(reject - noop_ua) / 68:.2f} per byte); "
      f"{reject - noop:.0f} above a no-op with no User-Agent ({(reject - noop) / 68:.2f} per byte)")
print(f"  parse::<PartnerUserAgent>() of a 64 KiB mixed value: {parse / 65536:.2f} per byte, "
      f"{(parse - parse_base) / 65536:.2f} above making the String")
print(f"  grammar::validate, 64 KiB: one long comment {flat / 65536:.2f} per byte; the mixed value "
      f"(comments three deep) {mixed / 65536:.2f}; 32,759 levels deep {deep / 65536:.2f}")
print()
print(f"check example, whole process, {corpus:.0f} bytes of 20,000 mixed lines: "
      f"{check / corpus:.2f} per input byte ({(check - empty) / corpus:.2f} above an empty run)")
PY
