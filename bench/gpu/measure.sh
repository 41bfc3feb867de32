#!/usr/bin/env bash
# Measures Grad's OpenCL backend beside PyTorch CUDA on a machine with an NVIDIA GPU and no .NET,
# in one run from the repository root (docs/gpu-measurement.md):
#   OUT=/some/folder bench/gpu/measure.sh
# It needs .gpu/payload (bench/gpu/pack.sh) and, for the convnet stage, .gpu/data-* (pack.sh
# --data). Stages, in order, each with its own time limit, each logged, none stopping the next:
#   unpack       the payload into .gpu/work/app (kept, and not unpacked again, while it is there)
#   icd          register NVIDIA's OpenCL driver (bench/gpu/enable-nvidia-opencl.sh)
#   info         grad info: every OpenCL platform and device
#   tune         grad tune: the GEMM's parameters for this device, at the SGEMM's size
#   ops          device-ops: SGEMM n³, element-wise add and sum bandwidth, with the tuned GEMM
#   pytorch      bench/gpu/pytorch_cuda.py: the same figures and train steps on PyTorch CUDA
#   train        train-step: the workloads a, b, c (CNN batch 32) and c:128 on OpenCL
#   ops-shipped  device-ops with the shipped GEMM defaults (no tuning cache)
#   convnet      grad convnet --device opencl, 5000 steps, if all of CIFAR-10 is in .gpu/data-*
# Results in $OUT: measure.log (everything), summary.md and summary.json (Grad next to PyTorch,
# with the ratios and the OpenCL issue's targets), opencl-tuning.json, convnet-metrics.csv.
# Knobs: GRAD_GPU_STAGES (a comma list of the stages above), GRAD_GPU_BUDGET_S (the whole run's
# seconds, default 480: every stage's limit is cut to what is left), GRAD_GPU_QUICK=1 (small sizes
# and few steps: a check of this script on any OpenCL device), PYTHON (default: the first of
# python3 and python that imports torch).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=$root/bench/gpu
work=$root/.gpu/work
app=$work/app

# Steps the stages run as their own processes, so that `timeout` can bound them.
case ${1:-} in
  _unpack)
    archive=$root/.gpu/payload/grad-linux-x64.tar.xz
    [ -f "$archive" ] || { echo "no payload at .gpu/payload: run bench/gpu/pack.sh and carry .gpu/payload"; exit 1; }
    sum=$(sha256sum "$archive" | cut -d' ' -f1)
    grep -q "$sum" "$root/.gpu/payload/SHA256SUMS" || { echo "the payload's checksum differs from .gpu/payload/SHA256SUMS: a damaged copy"; exit 1; }
    if [ -x "$app/grad" ] && [ "$(cat "$app/.sha256" 2>/dev/null)" = "$sum" ]; then echo "payload already unpacked in $app"; exit 0; fi
    rm -rf "$app" && mkdir -p "$work"
    if command -v xz >/dev/null; then tar -xJf "$archive" -C "$work"
    else "${PYTHON:-python3}" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$archive" "$work"
    fi || exit 1
    echo "$sum" > "$app/.sha256"
    echo "unpacked $(du -sm "$app" | cut -f1) MiB into $app"
    exit 0 ;;
  _data)
    # Reassembles CIFAR-10's binary batches from .gpu/data-*/ and checks each against SHA256SUMS.
    target=$work/cifar-10-batches-bin
    mkdir -p "$target" && rm -f "$target/.complete"
    sums=$(ls "$root"/.gpu/data-*/SHA256SUMS 2>/dev/null | head -1)
    [ -n "$sums" ] || { echo "no CIFAR-10 parts in .gpu/data-*"; exit 1; }
    cp "${sums%/*}/batches.meta.txt" "$target/" || exit 1
    (cd "$target" && sha256sum --quiet -c "$sums" >/dev/null 2>&1) && { echo "CIFAR-10 already complete in $target"; touch "$target/.complete"; exit 0; }
    for part in "$root"/.gpu/data-*/*.xz; do
      name=$(basename "$part" .xz)
      (cd "$target" && grep " $name\$" "$sums" | sha256sum --quiet -c >/dev/null 2>&1) && continue
      if command -v xz >/dev/null; then xz -dc "$part" > "$target/$name"
      else "${PYTHON:-python3}" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$part" "$target/$name"
      fi
    done
    (cd "$target" && sha256sum -c "$sums") || { echo "CIFAR-10 is incomplete or damaged: carry every .gpu/data-* folder"; exit 1; }
    touch "$target/.complete"
    exit 0 ;;
esac

: "${OUT:?set OUT to the folder for the results}"
mkdir -p "$OUT" "$work"
started=$SECONDS
log=$OUT/measure.log
quick=${GRAD_GPU_QUICK:-0}
# The first Python that has PyTorch, unless PYTHON names one.
python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3 python /usr/bin/python3; do
    command -v "$candidate" >/dev/null && timeout 30 "$candidate" -c 'import torch' 2>/dev/null && { python=$candidate; break; }
  done
  python=${python:-python3}
fi
stages=,${GRAD_GPU_STAGES:-unpack,icd,info,tune,ops,pytorch,train,ops-shipped,convnet},
budget=${GRAD_GPU_BUDGET_S:-480}
if [ "$quick" = 1 ]; then
  gemm=256 elements=1048576 workloads=a,b,c:4,c:8 steps=(--steps 2)
  # The convnet trains on the first 200 records of each batch (evaluating 10,000 on PoCL takes minutes).
  convnet_records=200 convnet_options=(--max_steps 20 --eval_freq 10 --batch_size 8 --records_per_file 200)
else
  gemm=4096 elements=67108864 workloads=a,b,c,c:128 steps=()
  convnet_records='' convnet_options=()
fi
# Invariant globalisation: the host may have no libicu. The tuning cache lives with the results.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 GRAD_CACHE_DIR=$work/cache HOME=${HOME:-/root}

say() { echo "$*" | tee -a "$log"; }
selected() { [[ $stages == *,$1,* ]]; }

# run_stage NAME LIMIT COMMAND...: runs COMMAND with at most LIMIT seconds (less if the budget has
# less left), its output into the log and $work/NAME.out; records NAME, exit code and seconds in
# $work/stages.tsv (kept across runs, so that a later run's summary still has an earlier one's
# figures: the convnet stage runs on its own once the data has arrived).
run_stage() {
  local name=$1 limit=$2; shift 2
  local left=$((budget - (SECONDS - started) - 20))
  [ "$left" -lt "$limit" ] && limit=$left
  if [ "$limit" -lt 10 ]; then
    say "=== $name: skipped, the run's budget of $budget s is spent"
    printf '%s\tskipped\t0\n' "$name" >> "$work/stages.tsv"
    return 0
  fi
  say "=== $name (at most $limit s): $*"
  local begin=$SECONDS
  timeout -k 10 "$limit" "$@" 2>&1 | tee "$work/$name.out" | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" = 124 ] || [ "$rc" = 137 ] && say "    $name: stopped at its limit of $limit s"
  say "=== $name: exit $rc after $((SECONDS - begin)) s"
  printf '%s\t%s\t%s\n' "$name" "$rc" "$((SECONDS - begin))" >> "$work/stages.tsv"
}

: > "$log"
say "Grad on a GPU: $(date -u +%FT%TZ), $(uname -m), $(nproc) cores, quick=$quick, stages ${stages:1:-1}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1 | tee -a "$log"
bench=$app/Grad.Benchmarks
# A host without an OpenCL ICD loader of its own uses the one the payload carries.
if ! ldconfig -p | grep -q 'libOpenCL\.so\.1 '; then
  say "no libOpenCL.so.1 on this host: using the ICD loader in the payload"
  export LD_LIBRARY_PATH=$app/icd-loader${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

selected unpack && run_stage unpack 90 "$0" _unpack
selected icd && run_stage icd 30 "$here/enable-nvidia-opencl.sh"
selected info && run_stage info 60 "$app/grad" info
if selected tune; then
  rm -rf "$GRAD_CACHE_DIR"
  run_stage tune 150 "$app/grad" tune --device opencl --size "$gemm"
fi
[ -f "$GRAD_CACHE_DIR/opencl-tuning.json" ] && cp "$GRAD_CACHE_DIR/opencl-tuning.json" "$OUT/"
selected ops && run_stage ops 90 "$bench" device-ops --json --device opencl --gemm "$gemm" --elements "$elements"
selected pytorch && run_stage pytorch 150 "$python" "$here/pytorch_cuda.py" --gemm "$gemm" --elements "$elements" --workloads "$workloads" "${steps[@]}"
selected train && run_stage train 180 "$bench" train-step --json --device opencl --workloads "$workloads" "${steps[@]}"
selected ops-shipped && run_stage ops-shipped 60 env GRAD_CACHE_DIR="$work/no-tuning" "$bench" device-ops --json --device opencl --gemm "$gemm" --elements "$elements"
if selected convnet && ls "$root"/.gpu/data-*/*.xz >/dev/null 2>&1; then
  run_stage data 90 "$0" _data
  cifar=$work/cifar-10-batches-bin
  rm -rf "$work/runs/convnet"
  if [ -n "$convnet_records" ] && [ -f "$cifar/.complete" ]; then
    mkdir -p "$work/cifar-quick"
    for batch in "$cifar"/*.bin; do head -c $((convnet_records * 3073)) "$batch" > "$work/cifar-quick/${batch##*/}"; done
    cp "$cifar/batches.meta.txt" "$work/cifar-quick/" && touch "$work/cifar-quick/.complete"
    cifar=$work/cifar-quick
  fi
  if [ -f "$cifar/.complete" ]; then
    run_stage convnet 300 "$app/grad" convnet --device opencl --data "$cifar" --out "$work/runs/convnet" "${convnet_options[@]}"
    cp "$work/runs/convnet/metrics.csv" "$OUT/convnet-metrics.csv" 2>/dev/null
  else
    say "=== convnet: skipped, CIFAR-10 is incomplete (see the data stage)"
  fi
elif selected convnet; then
  say "=== convnet: skipped, no CIFAR-10 in .gpu/data-* (bench/gpu/pack.sh --data, then carry each part)"
fi

say "=== summary"
"$python" "$here/summarize.py" "$work" "$OUT" --quick "$quick" 2>&1 | tee -a "$log"
say "done in $((SECONDS - started)) s"
exit 0
