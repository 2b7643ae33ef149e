#!/usr/bin/env bash
# Run the property tests named `fuzz_*` (slugs, heading ids, front matter,
# YAML positions and errors, shortcodes, page routes, the minify cutter) for
# SECONDS seconds, round after round, each round with a fresh seed and
# CASES cases per target (default 2000). Prints the rounds and cases run, and
# for a failure the seed that reproduces it:
#
#   scripts/fuzz.sh 600
#   PROPTEST_RNG_SEED=<seed> PROPTEST_CASES=2000 cargo test --lib fuzz_
#
# Exit code: 0 if every round passed, 1 if one failed, 2 on bad usage.
set -u
seconds=${1:-}
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh SECONDS" >&2
    exit 2
fi
cases=${CASES:-2000}
cd "$(dirname "$0")/.."
cargo test --locked --lib --no-run --quiet || exit 1
targets=$(cargo test --locked --lib --quiet fuzz_ -- --list 2>/dev/null | grep -c ': test$')
deadline=$(( $(date +%s) + seconds ))
rounds=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while [ "$(date +%s)" -lt "$deadline" ]; do
    seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
    if PROPTEST_RNG_SEED=$seed PROPTEST_CASES=$cases cargo test --locked --lib --quiet fuzz_ >"$log" 2>&1; then
        rounds=$((rounds + 1))
    else
        failed=1
        echo "round $((rounds + 1)) failed, seed $seed:"
        grep -E "^(test |---- |thread |minimal failing input|Test failed)|panicked" "$log" | head -40
        echo "reproduce: PROPTEST_RNG_SEED=$seed PROPTEST_CASES=$cases cargo test --lib fuzz_"
        break
    fi
done
echo "$rounds rounds passed, $targets targets x $cases cases each: $((rounds * targets * cases)) cases"
exit $failed
