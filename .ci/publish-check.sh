#!/usr/bin/env bash
# The self-contained single-file build of docs/DEPLOY.md: built once, started on loopback with a temporary data
# directory, asked /healthz (bounded in time), then stopped with SIGTERM, which must exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
out=out/linux-x64
# Into an empty folder: publishing single-file over an earlier publish drops libe_sqlite3.so and the assets (SDK 10.0.4xx).
rm -rf "$out"
dotnet publish src/Cadence -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true -o "$out"
for f in cadence libe_sqlite3.so appsettings.json console-assets/console.css; do
  [ -e "$out/$f" ] || { echo "publish-check: $out/$f is missing"; exit 1; }
done
data=$(mktemp -d)
port=$(( 20000 + RANDOM % 20000 ))
# Started from another directory: it must find appsettings.json and its assets beside itself.
(cd "$data" && exec "$OLDPWD/$out/cadence" serve --urls "http://127.0.0.1:$port" --data "$data/data") >"$data/log" 2>&1 &
pid=$!
ok=""
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 \
     && curl -fsS "http://127.0.0.1:$port/console-assets/console.css" >/dev/null 2>&1; then ok=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
kill -TERM "$pid" 2>/dev/null || true
code=0; wait "$pid" || code=$?
if [ -z "$ok" ] || [ "$code" -ne 0 ]; then
  echo "publish-check: failed (answered: ${ok:-no}, exit code $code)"; cat "$data/log"; rm -rf "$data"; exit 1
fi
rm -rf "$data"
echo "publish-check: $out/cadence starts, answers /healthz and stops cleanly on SIGTERM"
