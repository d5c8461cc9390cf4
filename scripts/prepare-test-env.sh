#!/usr/bin/env bash
# Prepares what the integration tests need on this machine: PostgreSQL (127.0.0.1:5432, database
# `test`), Redis (127.0.0.1:6379), and Prometheus/promtool/Alertmanager from Debian's packages.
# Starts or installs what it can; otherwise stops with the exact command to run.
set -u
fail() { printf '\n[prepare-test-env] %s\n' "$*" >&2; exit 1; }
note() { printf '[prepare-test-env] %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

# --- PostgreSQL -------------------------------------------------------------------------------
if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  note "PostgreSQL is not listening on 127.0.0.1:5432; starting it"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  for _ in $(seq 1 20); do (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && break; sleep 0.5; done
  (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null || fail "PostgreSQL is not running. Start it with:
  pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start"
fi
if command -v psql >/dev/null; then
  if ! psql -h 127.0.0.1 -U postgres -d test -tAc 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -c 'create database test' >/dev/null 2>&1 \
      || fail "database 'test' is missing and could not be created. Run: createdb -h 127.0.0.1 -U postgres test"
  fi
fi

# --- Redis ------------------------------------------------------------------------------------
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  note "Redis is not listening on 127.0.0.1:6379; starting it"
  if command -v redis-server >/dev/null; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 20); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.25; done
  (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null || fail "Redis is not running. Start it with:
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
fi

# --- Prometheus, promtool, Alertmanager (Debian) ---------------------------------------------
need_pkgs=()
command -v promtool >/dev/null || need_pkgs+=(prometheus)
command -v prometheus-alertmanager >/dev/null || need_pkgs+=(prometheus-alertmanager)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  note "installing ${need_pkgs[*]} from Debian (one time)"
  export DEBIAN_FRONTEND=noninteractive
  if as_root apt-get update -qq >/dev/null 2>&1 && \
     as_root apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold "${need_pkgs[@]}" >/dev/null 2>&1; then
    # The Debian packages start their services through systemd where there is one; the tests
    # start their own instances on free ports, so stop any that came up.
    pkill -x prometheus 2>/dev/null || true
    pkill -x prometheus-alertmanager 2>/dev/null || true
  fi
  command -v promtool >/dev/null && command -v prometheus-alertmanager >/dev/null || fail "Prometheus/Alertmanager are missing. Install them with:
  apt-get update && apt-get install -y prometheus prometheus-alertmanager"
fi
note "PostgreSQL, Redis, promtool $(promtool --version 2>&1 | head -1 | awk '{print $3}') and Alertmanager are ready"
