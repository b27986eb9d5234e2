#!/usr/bin/env bash
# Instructions per request and per byte, counted by callgrind: the same count for the same
# binary and input however busy the machine is.
#
#   bash benches/instructions.sh            # needs valgrind (Debian: apt-get install valgrind)
#
# Every variant of benches/instructions.rs runs under callgrind, which counts only the function
# `measured` (the requests are built before it and dropped after it). Stamping figures are
# instructions per request above the no-op service (a), and their ratio to the hand-written
# insert (b); validation figures are instructions per byte.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }

bin=$(cargo bench --bench instructions --no-run 2>&1 \
  | sed -n 's/.*Executable .*(\(.*instructions-[0-9a-f]*\)).*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not find the instructions benchmark binary" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Instructions counted inside `measured*` for one variant.
count() {
  valgrind --tool=callgrind --callgrind-out-file="$out/$1.out" \
    --toggle-collect='instructions::measured' --toggle-collect='instructions::measured_validate' \
    --toggle-collect='instructions::measured_classify' \
    "$bin" "$1" >/dev/null 2>"$out/$1.log"
  sed -n 's/^summary: //p; s/^totals: //p' "$out/$1.out" | head -n 1
}

requests=10000
declare -A total
for variant in $("$bin" list); do
  total[$variant]=$(count "$variant")
done

per() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.1f", t / n }'; }
above() { awk -v t="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (t - b) / n }'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.3f", x / y }'; }

noop=${total[a-noop]}
hand=$(above "${total[b-hand-insert]}" "$noop" "$requests")
echo "Stamping: instructions per request above the no-op service (a: $(per "$noop" "$requests") per request)"
printf '  %-22s %10s %10s\n' variant instr "ratio to b"
for variant in b-hand-insert c-tower-http d-format e-replace-static e-replace-runtime \
  e-replace-no-caller e-prepend-no-caller e-prepend-caller e-scoped-in e-scoped-out e-override; do
  value=$(above "${total[$variant]}" "$noop" "$requests")
  printf '  %-22s %10s %10s\n' "$variant" "$value" "$(ratio "$value" "$hand")"
done

echo
echo "Validation: instructions per byte"
layer=$(above "${total[f-layer-reject-67]}" "${total[f-noop-67]}" "$requests")
printf '  %-22s %10s  (%s per request above the no-op)\n' "layer reject, 67 B" "$(per "$layer" 67)" "$layer"
len1k=1024; len64k=65536
printf '  %-22s %10s\n' "grammar, 67 B" "$(per "${total[f-grammar-67]}" $((requests * 67)))"
printf '  %-22s %10s\n' "grammar, 1 KiB" "$(per "${total[f-grammar-1k]}" $((1000 * len1k)))"
printf '  %-22s %10s\n' "grammar, 64 KiB" "$(per "${total[f-grammar-64k]}" $((20 * len64k)))"
printf '  %-22s %10s\n' "grammar, nested" "$(per "${total[f-grammar-nested]}" $((20 * (40 + 64000))))"
echo
echo "Classification of the mix: $(per "${total[g-classify-mix]}" 1000) instructions per pass"
