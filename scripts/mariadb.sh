# Installs (if missing), starts and stops a PRIVATE MariaDB server for tests and benchmarks.
# Sourced, not run: by scripts/test.sh and scripts/bench-wallet.sh.
#
# Expects: RUN_DIR, DATA_DIR, SERVER_LOG, and the functions now, since and log.
# Sets: PORT, SERVER_PID, GUIDE_TEST_MYSQL, GUIDE_TEST_MYSQL_VERSION (exported), INSTALL_SECONDS,
# INSTALLED_NOW, INIT_SECONDS, READY_SECONDS. Defines stop_server and traps EXIT (and INT, TERM, HUP) to
# stop the server whatever happens.
# shellcheck shell=bash disable=SC2034  # the timings and flags are read by the script that sources this

# --- 1. MariaDB binaries ---------------------------------------------------------------------------
T_INSTALL=$(now)
missing=()
for bin in mariadbd mariadb-install-db mariadb-admin; do
  command -v "$bin" >/dev/null 2>&1 || missing+=(mariadb-server)
done
command -v python3 >/dev/null 2>&1 || missing+=(python3)
INSTALLED_NOW=no
if ((${#missing[@]} > 0)); then
  packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  log "installing $packages(Debian packages)"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to install: $packages" >&2; exit 1; }
    SUDO=(sudo)
  fi
  # Never let the package start (or restart) the system MariaDB service: we only use a private server.
  # If the machine has no policy-rc.d, put a temporary deny-all one in place for the install.
  OWN_POLICY=no
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${SUDO[@]}" chmod +x /usr/sbin/policy-rc.d
    OWN_POLICY=yes
  fi
  install_rc=0
  "${SUDO[@]}" apt-get update -qq || install_rc=$?
  if ((install_rc == 0)); then
    # shellcheck disable=SC2086 # word splitting of $packages is intended
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages \
      || install_rc=$?
  fi
  if [[ $OWN_POLICY == yes ]]; then "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d; fi
  ((install_rc == 0)) || { echo "apt-get failed ($install_rc)" >&2; exit "$install_rc"; }
  INSTALLED_NOW=yes
fi
INSTALL_SECONDS=$(since "$T_INSTALL")

# --- 2. private server -----------------------------------------------------------------------------
SERVER_PID=""
PORT=""

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  local pid=$SERVER_PID
  SERVER_PID=""
  if kill -0 "$pid" 2>/dev/null; then
    mariadb-admin --no-defaults --connect-timeout=5 -h127.0.0.1 -P "$PORT" -uroot shutdown >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "MariaDB (pid $pid) did not stop; killing it" >&2
      kill -TERM "$pid" 2>/dev/null || true
      sleep 2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}
trap stop_server EXIT
# An interrupted run exits (running the EXIT trap) instead of carrying on.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free TCP port found" >&2
  return 1
}

T_SERVER=$(now)
rm -rf "$DATA_DIR"
mkdir -p "$DATA_DIR"
if ! mariadb-install-db --no-defaults --datadir="$DATA_DIR" --user=root \
      --auth-root-authentication-method=normal --skip-test-db >"$RUN_DIR/mariadb-install.log" 2>&1; then
  cat "$RUN_DIR/mariadb-install.log" >&2
  echo "mariadb-install-db failed" >&2
  exit 1
fi

INIT_SECONDS=$(since "$T_SERVER")

T_READY=$(now)
PORT=$(free_port)
# German server messages (--lc-messages=de_DE): the code must classify errors by number, never by text.
: >"$SERVER_LOG"
mariadbd --no-defaults --datadir="$DATA_DIR" --user=root --port="$PORT" --bind-address=127.0.0.1 \
  --socket="$DATA_DIR/mysqld.sock" --pid-file="$DATA_DIR/mysqld.pid" --skip-name-resolve \
  --innodb-buffer-pool-size=256M --max-connections=500 \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
  --lc-messages=de_DE \
  >>"$SERVER_LOG" 2>&1 </dev/null &
SERVER_PID=$!

ready=no
deadline=$((SECONDS + 60))
while ((SECONDS < deadline)); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  if mariadb-admin --no-defaults --connect-timeout=2 -h127.0.0.1 -P "$PORT" -uroot ping >/dev/null 2>&1; then
    ready=yes
    break
  fi
  sleep 0.25
done
if [[ $ready != yes ]]; then
  echo "MariaDB did not accept connections on 127.0.0.1:$PORT; its log:" >&2
  cat "$SERVER_LOG" >&2
  exit 1
fi

# Pomelo wants MAJOR.MINOR.PATCH-mariadb (or -mysql): "10.11.19-MariaDB-0+deb12u1" -> "10.11.19-mariadb".
RAW_VERSION=$(mariadb --no-defaults -h127.0.0.1 -P "$PORT" -uroot -N -B -e 'SELECT VERSION()')
NUMERIC_VERSION=$(grep -oE '^[0-9]+\.[0-9]+\.[0-9]+' <<<"$RAW_VERSION" || true)
[[ -n $NUMERIC_VERSION ]] || { echo "cannot parse the server version '$RAW_VERSION'" >&2; exit 1; }
if grep -qi mariadb <<<"$RAW_VERSION"; then FLAVOUR=mariadb; else FLAVOUR=mysql; fi
READY_SECONDS=$(since "$T_READY")

export GUIDE_TEST_MYSQL="Server=127.0.0.1;Port=$PORT;User ID=root;Password=;"
export GUIDE_TEST_MYSQL_VERSION="$NUMERIC_VERSION-$FLAVOUR"
log "MariaDB $RAW_VERSION on 127.0.0.1:$PORT (pid $SERVER_PID, data $DATA_DIR)"
log "GUIDE_TEST_MYSQL=$GUIDE_TEST_MYSQL GUIDE_TEST_MYSQL_VERSION=$GUIDE_TEST_MYSQL_VERSION"
