#!/usr/bin/env bash
# Builds what bench/gpu/measure.sh needs on a machine with an NVIDIA GPU and no .NET, into the
# ignored folder .gpu/ (see docs/gpu-measurement.md):
#   bench/gpu/pack.sh          .gpu/payload/grad-linux-x64.tar.xz: a self-contained linux-x64
#                              Release publish of `grad` (src/Grad.Examples) and Grad.Benchmarks in
#                              one folder, so both share one copy of the .NET runtime.
#   bench/gpu/pack.sh --data [CIFAR]
#                              instead, .gpu/data-1, .gpu/data-2, ...: CIFAR-10's six binary batches
#                              (from CIFAR, default $GRAD_DATA or ../shared/data/cifar-10-binary.tar.gz),
#                              each compressed with xz's delta filter, packed into folders of at most
#                              $GRAD_GPU_PART_MIB MiB (default 60) so each can be carried on its own;
#                              every folder holds SHA256SUMS of all six, which measure.sh checks,
#                              and the class names (batches.meta.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
gpu=$root/.gpu

with_data=false
data=${GRAD_DATA:-$root/../shared/data/cifar-10-binary.tar.gz}
while [ $# -gt 0 ]; do
  case $1 in
    --data) with_data=true; if [ $# -gt 1 ] && [[ $2 != -* ]]; then data=$2; shift; fi ;;
    *) echo "usage: bench/gpu/pack.sh [--data [cifar-10-binary.tar.gz]]" >&2; exit 2 ;;
  esac
  shift
done

mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

if ! $with_data; then
  # Self-contained, so the target needs no .NET; invariant globalisation, so it needs no libicu
  # either. No symbols and English resources only: the compilers BenchmarkDotNet brings carry a
  # dozen languages' messages.
  for project in src/Grad.Examples bench/Grad.Benchmarks; do
    echo "publishing $project"
    dotnet publish "$project" -c Release -r linux-x64 --self-contained -o "$stage/app" -nologo -v quiet \
      -p:InvariantGlobalization=true -p:DebugType=none -p:SatelliteResourceLanguages=en
  done
  # The OpenCL ICD loader (ocl-icd, 70 KiB), for a host that has NVIDIA's driver but no loader.
  loader=$(ldconfig -p | awk '/libOpenCL\.so\.1 .*x86-64/ { print $NF; exit }')
  if [ -n "$loader" ]; then mkdir -p "$stage/app/icd-loader" && cp -L "$loader" "$stage/app/icd-loader/libOpenCL.so.1"
  else echo "warning: no libOpenCL.so.1 here to carry; the GPU host must have its own ICD loader" >&2
  fi
  rm -rf "$gpu/payload" && mkdir -p "$gpu/payload"
  echo "compressing $(du -sm "$stage/app" | cut -f1) MiB of binaries"
  XZ_OPT='-9 -T0' tar -cJf "$gpu/payload/grad-linux-x64.tar.xz" -C "$stage" app
  (cd "$gpu/payload" && sha256sum grad-linux-x64.tar.xz > SHA256SUMS)
  echo "payload: .gpu/payload/grad-linux-x64.tar.xz, $(mib "$gpu/payload/grad-linux-x64.tar.xz")"
  exit 0
fi

[ -f "$data" ] || { echo "no CIFAR-10 at $data: give the path of cifar-10-binary.tar.gz after --data" >&2; exit 1; }
echo "compressing CIFAR-10 from $data"
tar -xzf "$data" -C "$stage"
batches=$stage/cifar-10-batches-bin
names=(data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin test_batch.bin)
(cd "$batches" && sha256sum "${names[@]}") > "$stage/SHA256SUMS"
# The records are pixel planes: storing each byte's difference from the one before (the delta
# filter) compresses them to 67 % of their size, against 77 % for xz -9 alone and 94 % for gzip.
for name in "${names[@]}"; do
  xz -T0 -c --delta=dist=1 --lzma2=preset=9e "$batches/$name" > "$stage/$name.xz" &
done
wait
rm -rf "$gpu"/data-*
limit=$(( ${GRAD_GPU_PART_MIB:-60} * 1048576 ))
part=1 used=0
for name in "${names[@]}"; do
  size=$(stat -c %s "$stage/$name.xz")
  if [ $used -gt 0 ] && [ $((used + size)) -gt $limit ]; then part=$((part + 1)); used=0; fi
  mkdir -p "$gpu/data-$part"
  mv "$stage/$name.xz" "$gpu/data-$part/"
  cp "$stage/SHA256SUMS" "$batches/batches.meta.txt" "$gpu/data-$part/"
  used=$((used + size))
done
for folder in "$gpu"/data-*; do
  echo "data: .gpu/${folder##*/}, $(du -sb "$folder" | awk '{ printf "%.1f MiB", $1 / 1048576 }'): $(cd "$folder" && ls ./*.xz | tr '\n' ' ')"
done
