#!/usr/bin/env bash
# Summarises a JFR recording made with `run.sh --jfr`: the methods most often on top of the
# sampled stacks (self time) and the methods most often anywhere in them (inclusive time), as
# counts of jdk.ExecutionSample events. Also prints the top lock contention sites.
#
#   bench/jfr-top.sh target/bench-out/d-run1.jfr [N]
set -eu  # no pipefail: head closes the pipes early on purpose
file="$1"
n="${2:-25}"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
jfr print --events jdk.ExecutionSample --stack-depth 64 "$file" > "$tmp"

echo "== samples: $(grep -c 'jdk.ExecutionSample' "$tmp")"
echo
echo "== self (top frame)"
awk '/stackTrace = \[/{getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); print}' "$tmp" \
  | sort | uniq -c | sort -rn | head -n "$n"
echo
echo "== inclusive (frame anywhere in the stack, counted once per sample)"
awk '/stackTrace = \[/{inside=1; delete seen; next}
     inside && /^ *\]/{inside=0; next}
     inside {line=$0; sub(/^ +/, "", line); sub(/ +line:.*/, "", line);
             if (!(line in seen) && line != "...") {seen[line]=1; print line}}' "$tmp" \
  | sort | uniq -c | sort -rn | head -n "$n"
echo
echo "== monitor contention (jdk.JavaMonitorEnter, top frame)"
jfr print --events jdk.JavaMonitorEnter --stack-depth 1 "$file" \
  | awk '/stackTrace = \[/{getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); print}' \
  | sort | uniq -c | sort -rn | head -n 10
