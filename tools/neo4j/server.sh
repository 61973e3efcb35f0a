#!/usr/bin/env bash
# server.sh up HOME PORT [HEAP [PAGECACHE]] | server.sh down HOME PORT — a Neo4j server from tools/neo4j/lib.
# `up` returns once the server answers RETURN 1; both are safe to run twice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
action=$1 home=$2 port=$3 heap=${4:-1g} pagecache=${5:-256m}
pidfile="$home/neo4j.pid"
uri="bolt://127.0.0.1:$port"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
answers() { timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; }

case "$action" in
up)
  if running; then echo "Neo4j already running on $uri"; echo "export NEO4J_URI=$uri"; exit 0; fi
  if answers; then echo "Error: port $port is taken by another process; set NEO4J_PORT" >&2; exit 1; fi
  mkdir -p "$home/import"
  # The parallel collector: with the serial one a city's first load spent about 15 s in
  # stop-the-world pauses and took 99 s; with this one 68-75 s (benchmarks/NEO4J.md). G1, Neo4j's
  # own default, took 89 s: its concurrent threads take the second core from the load.
  java -Xmx"$heap" -XX:+UseParallelGC -cp "$here/lib/*" "$here/Launcher.java" "$home" "$port" "$pagecache" \
    >"$home/neo4j.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 180); do
    if ! running; then echo "Error: Neo4j did not start; see $home/neo4j.log:" >&2; tail -20 "$home/neo4j.log" >&2; exit 1; fi
    if grep -q "Neo4j ready" "$home/neo4j.log" && answers; then
      # the real check: a Cypher statement through Bolt
      if "${PYTHON:-python3}" "$here/ping.py" "$uri" 2>/dev/null; then
        echo "Neo4j 5.26 running on $uri (data in $home)"; echo "export NEO4J_URI=$uri"; exit 0
      fi
    fi
    sleep 1
  done
  echo "Error: Neo4j did not answer RETURN 1 within 180 s; see $home/neo4j.log" >&2; exit 1 ;;
down)
  if running; then
    pid=$(cat "$pidfile"); kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$home"; echo "Neo4j on $uri stopped" ;;
*) echo "usage: server.sh up|down HOME PORT [HEAP]" >&2; exit 2 ;;
esac
