#!/usr/bin/env bash
# Grad's whole test suite, on a fresh machine of the Debian kind it was built on:
# installs what the tests need, builds the solution, runs the unit, property, OpenCL and packaging suites,
# and ends with one line "N passed, M failed". Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")"

# OpenCL tests run for real on PoCL, the CPU OpenCL driver, wherever no GPU driver is present.
if [ ! -e /etc/OpenCL/vendors/pocl.icd ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "== installing PoCL (OpenCL on the CPU)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pocl-opencl-icd ocl-icd-libopencl1; } >/dev/null \
    || echo "warning: could not install pocl-opencl-icd; OpenCL tests will report the missing driver"
fi

# The sweep tests submit to a real one-node Slurm (tests/unit/Sweep/SlurmSweepTests.cs): started here
# (installed if missing) unless one answers already, and stopped at the end if this script started it.
slurm_started=0
if ! scontrol ping >/dev/null 2>&1 && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "== starting a one-node Slurm (.ci/slurm-single-node.sh)"
  if .ci/slurm-single-node.sh start; then slurm_started=1
  else echo "warning: could not start Slurm; the sweep's Slurm test fails where CI is set"; fi
fi
trap '[ "$slurm_started" = 1 ] && .ci/slurm-single-node.sh stop >/dev/null 2>&1' EXIT

results=TestResults
rm -rf "$results"
echo "== building"
if ! dotnet build Grad.sln -c Release --nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
# Each suite runs the backend-neutral tests of tests/neutral on its backend (tests/README.md):
# tests/unit and tests/property on the CPU, tests/opencl on the OpenCL device (PoCL in CI);
# tests/packaging packs every package and uses them as a user would, outside the repository.
for suite in tests/unit tests/property tests/opencl tests/packaging; do
  echo "== $suite"
  dotnet test "$suite" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$(basename "$suite").trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
# A suite that crashed before writing its results still counts as a failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
