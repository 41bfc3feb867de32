#!/usr/bin/env bash
# Grad's GEMM against NumPy (OpenBLAS) on float32 square matrices, interleaved round by round so
# that both see the same machine load; prints each implementation's median GFLOP/s per size and
# the Grad/NumPy ratio.   usage: [THREADS=n] bench/gemm-vs-numpy.sh [ROUNDS=5] [SIZES=256,1024,2048]
# THREADS (default: every core) sets both Grad's and OpenBLAS's thread count.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
sizes=${2:-256,1024,2048}
python=/usr/bin/python3   # Debian's python3-numpy; a pyenv python3 on PATH may lack numpy
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-SkylakeX}
threads=${THREADS:-$(nproc)}
export OPENBLAS_NUM_THREADS=$threads

dotnet build -c Release --nologo -v quiet bench/Grad.Benchmarks >/dev/null
grad=bench/Grad.Benchmarks/bin/Release/net10.0/Grad.Benchmarks.dll
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for ((round = 1; round <= rounds; round++)); do
  echo "round $round/$rounds" >&2
  # Alternate which goes first, so neither always runs on a machine the other just warmed.
  if ((round % 2)); then
    dotnet "$grad" gemm --json --sizes "$sizes" --threads "$threads" >>"$log"
    "$python" bench/peers/numpy_gemm.py --sizes "$sizes" >>"$log"
  else
    "$python" bench/peers/numpy_gemm.py --sizes "$sizes" >>"$log"
    dotnet "$grad" gemm --json --sizes "$sizes" --threads "$threads" >>"$log"
  fi
done

"$python" - "$log" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
def gflops(impl, size):
    return [r["gflops"] for r in rows if r["impl"] == impl and r["m"] == size]
print(f"{'size':>6} {'grad GFLOP/s':>13} {'numpy GFLOP/s':>14} {'grad/numpy':>11}  rounds  (medians; grad range, numpy range)")
for size in sorted({r["m"] for r in rows}):
    g, n = gflops("grad", size), gflops("numpy", size)
    mg, mn = statistics.median(g), statistics.median(n)
    print(f"{size:>6} {mg:>13.1f} {mn:>14.1f} {mg / mn:>11.2f}  {len(g):>6}  "
          f"[{min(g):.0f}-{max(g):.0f}], [{min(n):.0f}-{max(n):.0f}]")
peaks = [r["peak_gflops"] for r in rows if r["impl"] == "grad"]
print(f"measured FMA peak on {rows[0]['threads']} threads: median {statistics.median(peaks):.0f} GFLOP/s "
      f"[{min(peaks):.0f}-{max(peaks):.0f}]")
PY
