#!/bin/sh
# The system packages `make test`, `make demo` and `make bench` need, checked in milliseconds
# and installed when missing (as root, with apt); otherwise one line saying what to install.
#
#   scripts/ensure-system.sh python|test|demo|bench
#
# test:  Python >= 3.11 with venv, libmagic (type sniffing), clamd + sigtool (the tests start
#        their own clamd with an EICAR-only signature database: no freshclam, no download) and
#        the PostgreSQL server binaries (the tests start a private cluster; the packaged one
#        is not used). TEST_DBS=sqlite leaves PostgreSQL out.
#        systemd-analyze (Debian package systemd) verifies the systemd unit in contrib/.
# demo:  Python and libmagic.   bench: Python, libmagic, clamd + sigtool.   python: Python.
set -eu

profile=${1:-test}
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
TEST_DBS=${TEST_DBS:-sqlite postgresql}

packages=""
add() {
  case " $packages " in *" $1 "*) ;; *) packages="$packages $1" ;; esac
}
have() { command -v "$1" >/dev/null 2>&1; }
sbin_have() { have "$1" || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }

check() {
  packages=""
  # Python: only until the virtualenv exists (it keeps its own interpreter).
  if [ ! -x "$VENV/bin/python" ]; then
    if ! have "$PYTHON"; then
      if [ "$PYTHON" != python3 ]; then
        echo "make ${GOAL:-$profile}: PYTHON=$PYTHON is not installed" >&2
        exit 1
      fi
      add python3
      add python3-venv
    elif ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "make ${GOAL:-$profile}: needs Python >= 3.11; $PYTHON is $("$PYTHON" -V 2>&1) (set PYTHON=...)" >&2
      exit 1
    elif ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
      add python3-venv
    fi
  fi
  [ "$profile" = python ] && return 0
  # libmagic, for python-magic (the bridge imports it).
  if ! { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q 'libmagic\.so\.1' &&
    ! ls /usr/lib/*/libmagic.so.1 /usr/lib/libmagic.so.1 /usr/lib64/libmagic.so.1 >/dev/null 2>&1; then
    add libmagic1
  fi
  case $profile in
    test | bench)
      sbin_have clamd || add clamav-daemon
      sbin_have sigtool || add clamav
      ;;
  esac
  if [ "$profile" = test ]; then
    # systemd-analyze: tests/deploy verifies contrib/phigate.service with it (never skipped).
    sbin_have systemd-analyze || add systemd
    # Headless Chromium looks at the evidence report's HTML page (a screenshot check).
    have chromium || add chromium
    case " $TEST_DBS " in
      *" postgresql "*)
        if ! have initdb && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
          add postgresql
        elif [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
          add postgresql # as root the tests run the server as `postgres`, which it creates
        fi
        ;;
    esac
  fi
}

check
[ -z "$packages" ] && exit 0

packages=${packages# }
if [ "$(id -u)" != 0 ] || ! have apt-get; then
  if have apt-get; then
    echo "make ${GOAL:-$profile}: missing system packages; install them with: sudo apt-get install $packages" >&2
  else
    echo "make ${GOAL:-$profile}: missing system packages (Debian names: $packages); install their equivalents with your package manager" >&2
  fi
  exit 1
fi

echo "make ${GOAL:-$profile}: installing $packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086  # one word per package
apt-get install -y -qq --no-install-recommends $packages >/dev/null
# Their own daemons are not used (the tests start their own clamd and PostgreSQL): stop the
# ones this just installed, so a CI box neither downloads signatures nor holds port 5432.
units=""
case " $packages " in *" clamav-daemon "*) units="clamav-daemon clamav-freshclam" ;; esac
case " $packages " in *" postgresql "*) units="$units postgresql" ;; esac
for unit in $units; do
  if [ -d /run/systemd/system ]; then
    systemctl stop "$unit" >/dev/null 2>&1 || true
  elif have service && service "$unit" status >/dev/null 2>&1; then
    service "$unit" stop >/dev/null 2>&1 || true
  fi
done
check
if [ -n "$packages" ]; then
  echo "make ${GOAL:-$profile}: still missing after apt-get install:$packages" >&2
  exit 1
fi
