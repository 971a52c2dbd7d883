#!/usr/bin/env bash
# Measures the release binary on this machine and prints the figures the
# README records: in-process benchmarks (cargo bench), startup, `spj check`
# of 50 cases, batch throughput with 1 and 2 jobs, and peak memory for a
# batch of 200 cases. Needs GNU time (`apt-get install time`).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "install GNU time: apt-get install -y time" >&2; exit 2; }
cargo build --release --locked
bin=target/release/spj
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== in-process (cargo bench)"
cargo bench --locked --bench render

echo "== startup: spj --version (median of 50)"
python3 - "$bin" <<'PY'
import subprocess, sys, time
bin = sys.argv[1]
ts = []
for _ in range(50):
    t = time.perf_counter(); subprocess.run([bin, "--version"], stdout=subprocess.DEVNULL, check=True); ts.append(time.perf_counter() - t)
ts.sort(); print(f"spj --version: {ts[len(ts)//2]*1000:.1f} ms")
PY

mkdir -p "$work/fifty" "$work/many"
i=0
while [ $i -lt 50 ]; do for f in examples/*.yaml; do [ $i -lt 50 ] && cp "$f" "$work/fifty/c$i.yaml"; i=$((i+1)); done; done
i=0
while [ $i -lt 200 ]; do for f in examples/*.yaml; do [ $i -lt 200 ] && cp "$f" "$work/many/c$i.yaml"; i=$((i+1)); done; done

echo "== spj check of 50 cases (median of 20)"
python3 - "$bin" "$work/fifty" <<'PY'
import subprocess, sys, time
bin, d = sys.argv[1], sys.argv[2]
ts = []
for _ in range(20):
    t = time.perf_counter(); subprocess.run([bin, "check", d], stdout=subprocess.DEVNULL); ts.append(time.perf_counter() - t)
ts.sort(); print(f"spj check (50 cases): {ts[len(ts)//2]*1000:.1f} ms")
PY

echo "== batch of 200 cases: wall time and peak memory"
if command -v taskset >/dev/null; then
  # Sequential baseline: one core, so one document after another on one thread.
  rm -rf "$work/out"
  taskset -c 0 /usr/bin/time -f "sequential (one core): %e s wall, peak RSS %M KiB" "$bin" -q render "$work/many" --out-dir "$work/out" --jobs 1 >/dev/null
fi
for jobs in 1 2; do
  rm -rf "$work/out"
  /usr/bin/time -f "jobs=$jobs: %e s wall, peak RSS %M KiB" "$bin" -q render "$work/many" --out-dir "$work/out" --jobs $jobs >/dev/null
done
