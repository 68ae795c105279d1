#!/usr/bin/env bash
# One command: build the WAR, this harness and the Spring peer, then run every scenario against
# ssehub (embedded Jetty, or Tomcat with --tomcat, or Undertow with --undertow) and its peers
# (nginx+nchan, the container's floor, the Spring SseEmitter hub) in one run, and print the
# comparison table.
#
#   bench/run.sh [--quick] [--tomcat | --undertow] [--runs=N] [--scenarios=a,b,c,d,e] [--jfr] [--jmh] [size flags]
#
# --jmh runs the JMH microbenchmarks instead of the load scenarios; --skip-tests skips the
# harness's own tests. Every other flag is passed to
# io.ssehub.bench.Main (see bench/README.md). Servers are started fresh per scenario and stopped by
# pid; nothing but loopback (127.0.0.1) is used.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
OUT="${BENCH_OUT:-$BENCH_DIR/target/bench-out}"

# Streams need file descriptors on both ends: raise the soft limit as far as the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open-file limit: $(ulimit -n)"

jmh=false
tests=true
args=()
for arg in "$@"; do
  case "$arg" in
    --jmh) jmh=true ;;
    --skip-tests) tests=false ;;
    *) args+=("$arg") ;;
  esac
done

if ! $jmh; then
  if ! command -v nginx >/dev/null 2>&1 || [ ! -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then
    echo "installing nginx and libnginx-mod-nchan"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # The package would start the system service: forbid that, we run our own foreground nginx.
    policy_created=false
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      policy_created=true
    fi
    apt-get install -y -qq nginx libnginx-mod-nchan >/dev/null
    if $policy_created; then rm -f /usr/sbin/policy-rc.d; fi
  fi
fi

echo "building the WAR"
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package)
if $tests; then
  # The generator's own tests (exact counting against a lossy mock hub) run before it is trusted.
  echo "building and testing the harness"
  (cd "$BENCH_DIR" && mvn -B -q -Dstyle.color=never package)
else
  echo "building the harness (tests skipped)"
  (cd "$BENCH_DIR" && mvn -B -q -Dstyle.color=never -DskipTests package)
fi
if ! $jmh; then
  echo "building the Spring peer$($tests || echo ' (tests skipped)')"
  (cd "$BENCH_DIR/spring-peer" && mvn -B -q -Dstyle.color=never "-DskipTests=$($tests && echo false || echo true)" package)
fi

CP="$BENCH_DIR/target/classes:$BENCH_DIR/target/lib/*"
mkdir -p "$OUT"

if $jmh; then
  # Short but stable enough for a relative picture; -prof gc gives allocation per operation.
  exec java -cp "$CP" org.openjdk.jmh.Main -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc \
    -rf text -rff "$OUT/jmh.txt" "${args[@]}"
fi

exec java -Xms512m -Xmx2g -cp "$CP" io.ssehub.bench.Main --war="$ROOT/target/ssehub.war" \
  --spring-jar="$BENCH_DIR/spring-peer/target/spring-peer.jar" --out="$OUT" "${args[@]}"
