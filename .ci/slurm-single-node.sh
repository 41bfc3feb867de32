#!/usr/bin/env bash
# A real one-node Slurm cluster (munged, slurmctld, slurmd from Debian 12's slurm-wlm 22.05) for
# the sweep integration tests, started by hand as root: CI containers have no systemd.
#
#   .ci/slurm-single-node.sh [start]   install what is missing, write slurm.conf, start the
#                                      daemons, wait until the node is idle (idempotent)
#   .ci/slurm-single-node.sh stop      cancel every job, then stop the daemons by their PIDs
#   .ci/slurm-single-node.sh status    scontrol ping, sinfo, squeue
#
# Settings (environment):
#   GRAD_SLURM_CPUS         CPUs the node advertises (default 4: more than CI's 2 cores, so four
#                           one-CPU array tasks run at once; they mostly wait on process start)
#   GRAD_SLURM_MIN_JOB_AGE  seconds a finished job stays visible to squeue/scontrol (3600, so a
#                           test never outlives it; Slurm's default is 300)
#   GRAD_SLURM_CRED_EXPIRE  seconds a requeued job is held before it may start again, plus one
#                           (10; Slurm's default 120 would make the requeue test wait two minutes)
# The recipe and its pitfalls: ../shared/slurm/README.md (the numbered pitfalls cited below).
set -euo pipefail

ACTION=${1:-start}
CPUS=${GRAD_SLURM_CPUS:-4}
MIN_JOB_AGE=${GRAD_SLURM_MIN_JOB_AGE:-3600}
CRED_EXPIRE=${GRAD_SLURM_CRED_EXPIRE:-10}
CONF=/etc/slurm/slurm.conf
LOG_DIR=/var/log/slurm
CTLD_PID=/run/slurmctld.pid
SLURMD_PID=/run/slurmd.pid
MUNGE_PID=/run/munge/munged.pid
STARTED_MUNGE=/run/grad-slurm-started-munged
HOST=$(hostname -s)

say() { echo "[slurm] $*" >&2; }
die() { say "error: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root: the daemons run as root (SlurmUser=root) and munged as the munge user"

# running PIDFILE NAME: the file names a live process called NAME (a stale file, or a zombie left
# in a container whose PID 1 does not reap (pitfall 10), does not count).
running() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]
}

# halt PIDFILE NAME: SIGTERM, then SIGKILL after 20 s.
halt() {
  running "$1" "$2" || return 0
  local pid i
  pid=$(cat "$1")
  say "stopping $2 ($pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 80); do running "$1" "$2" || return 0; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
}

install_packages() {
  local missing=() tool package
  for pair in slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client munged:munge; do
    tool=${pair%%:*} package=${pair#*:}
    command -v "$tool" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Without recommends: 7 small packages instead of about 35 (every plugin and -dev package).
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}

start_munge() {
  if [ ! -s /etc/munge/munge.key ]; then # the package's postinst normally makes it
    install -d -o munge -g munge -m 0700 /etc/munge
    mungekey --create --keyfile=/etc/munge/munge.key --force
    chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
  fi
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0
  # munged refuses to run as root on the package's munge-owned folders (pitfall 2), and without
  # systemd nothing makes its runtime folder.
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/log/munge
  install -d -o munge -g munge -m 0711 /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
  touch "$STARTED_MUNGE"
  local i
  for i in $(seq 40); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0; sleep 0.25; done
  tail -20 /var/log/munge/munged.log >&2 || true
  die "munged did not start"
}

# Prints "changed" when slurm.conf was (re)written.
write_config() {
  local memory new
  memory=$(slurmd -C | sed -n '1s/.*RealMemory=\([0-9]*\).*/\1/p')
  new=$(mktemp)
  cat >"$new" <<EOF
# Written by Grad's .ci/slurm-single-node.sh: one node, no accounting database.
ClusterName=grad-ci
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# A requeued job waits cred_expire + 1 s before it may run again.
AuthInfo=cred_expire=$CRED_EXPIRE
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SchedulerType=sched/backfill
# Start a job submitted while others end at once, not after the default 3 s batch delay; and
# look for jobs to start every 5 s instead of 30, so a requeued task runs soon after its hold.
SchedulerParameters=batch_sched_delay=0,bf_interval=5
SelectType=select/cons_tres
# CR_Core: with the memory-aware default every job is given the whole node (pitfall 4).
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG_DIR/jobcomp.log
MinJobAge=$MIN_JOB_AGE
KillWait=5
InactiveLimit=0
Waittime=0
# The advertised CPUs may exceed the real ones, on purpose.
SlurmdParameters=config_overrides
NodeName=$HOST CPUs=$CPUS RealMemory=$memory NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  if cmp -s "$new" "$CONF"; then rm -f "$new"
  else mkdir -p /etc/slurm; mv "$new" "$CONF"; chmod 0644 "$CONF"; echo changed; fi
}

cancel_jobs() { # the daemons' shutdown leaves running jobs alive (pitfall 9)
  running "$CTLD_PID" slurmctld || return 0
  local ids i
  ids=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
  [ -n "${ids// /}" ] || return 0
  # shellcheck disable=SC2086
  scancel $ids 2>/dev/null || true
  for i in $(seq 160); do [ -z "$(squeue -h -o %A 2>/dev/null)" ] && return 0; sleep 0.25; done
}

# The node is idle and the slurmd started at epoch SINCE has registered: after a restart the
# controller restores the old node state, so "idle" alone may be stale (pitfall 6).
wait_idle() {
  local since=$1 state started i
  for i in $(seq 240); do
    state=$(sinfo -h -N -n "$HOST" -o %T 2>/dev/null | head -1 || true)
    started=$(scontrol show node "$HOST" 2>/dev/null | sed -n 's/.*SlurmdStartTime=\([^ ]*\).*/\1/p')
    case "$state" in
      idle|mixed|allocated|completing)
        [ "$(date -d "$started" +%s 2>/dev/null || echo 0)" -ge "$since" ] && return 0 ;;
      drain*|down) scontrol update NodeName="$HOST" State=RESUME 2>/dev/null || true ;;
    esac
    sleep 0.25
  done
  sinfo -N -l >&2 || true; tail -20 "$LOG_DIR/slurmd.log" >&2 || true
  die "node $HOST is not idle after 60 s (state: ${state:-unknown})"
}

start() {
  install_packages
  start_munge
  mkdir -p /var/spool/slurmctld /var/spool/slurmd "$LOG_DIR"
  if [ "$(write_config)" = changed ]; then cancel_jobs; halt "$SLURMD_PID" slurmd; halt "$CTLD_PID" slurmctld; fi
  running "$CTLD_PID" slurmctld || slurmctld
  local i since=0
  for i in $(seq 80); do scontrol ping 2>/dev/null | grep -q 'is UP' && break; sleep 0.25; done
  scontrol ping 2>/dev/null | grep -q 'is UP' || { tail -30 "$LOG_DIR/slurmctld.log" >&2; die "slurmctld did not start"; }
  if ! running "$SLURMD_PID" slurmd; then since=$(date +%s); slurmd; fi
  wait_idle "$since"
  say "up: partition debug, node $HOST with $CPUS CPUs; logs in $LOG_DIR; stop with $0 stop"
}

stop() {
  cancel_jobs
  halt "$SLURMD_PID" slurmd
  halt "$CTLD_PID" slurmctld
  if [ -e "$STARTED_MUNGE" ]; then halt "$MUNGE_PID" munged; rm -f "$STARTED_MUNGE"; fi
}

case "$ACTION" in
  start) start ;;
  stop) stop ;;
  status) scontrol ping || true; sinfo || true; squeue || true ;;
  *) die "unknown action '$ACTION' (start, stop or status)" ;;
esac
