#!/bin/bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Package test: builds the Debian package with CPack, installs it into a fresh Debian 12 root
# (debootstrap, minbase) with apt, checks the installed files, the account, the units, runs the
# installed broker the way README.md says (spawn-fcgi as x2gobroker behind nginx with the shipped
# snippet, x2gobroker-authservice for PAM), talks to it with curl, purges the package and checks
# that the purge leaves the site's data. Run as root.
#
# Where it installs (PACKAGE_TEST_MODE):
#   chroot  (default) a debootstrapped bookworm root below $PKGTEST_WORK; the base root (minbase
#           plus nginx-light, spawn-fcgi, curl and the package's libraries) is cached as a
#           tarball in $PKGTEST_CACHE, so only the first run downloads (about 60 MB).
#   host    this machine (dpkg -i / dpkg -P). Refused while Debian's Python broker packages are
#           installed: the package conflicts with them (same paths) and apt would remove them.
# Environment: BUILD_DIR (default build-pkg), JOBS (default 1), DEB=path (test this .deb, do not
# build), PKGTEST_CACHE (default /var/cache/x2gobroker-pkgtest), PKGTEST_WORK (default /tmp),
# MIRROR (default: the first deb.debian.org/debian URI of apt's sources), KEEP_ROOT=1.
set -euo pipefail

cd "$(dirname "$0")/../.."
SRC=$(pwd)
BUILD_DIR=${BUILD_DIR:-build-pkg}
JOBS=${JOBS:-1}
MODE=${PACKAGE_TEST_MODE:-chroot}
CACHE=${PKGTEST_CACHE:-/var/cache/x2gobroker-pkgtest}
SUITE=bookworm
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

say() { printf 'test_package: %s\n' "$*" >&2; }
die() { say "FAIL: $*"; exit 1; }
passed=0
ok() { passed=$((passed + 1)); printf 'test_package: ok   %s\n' "$*" >&2; }

[ "$(id -u)" -eq 0 ] || die "run as root"

# --- 1. Build the package ---------------------------------------------------------------------
if [ -z "${DEB:-}" ]; then
  say "building $BUILD_DIR (Release, no tests) and the .deb"
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DBROKER_BUILD_TESTS=OFF -DBROKER_WERROR=ON >/dev/null
  cmake --build "$BUILD_DIR" -j"$JOBS"
  rm -f "$BUILD_DIR"/packages/x2gobroker-cpp_*.deb
  (cd "$BUILD_DIR" && cpack -G DEB >/dev/null)
  DEB=$(ls "$BUILD_DIR"/packages/x2gobroker-cpp_*.deb)
fi
DEB=$(readlink -f "$DEB")
[ -f "$DEB" ] || die "no package: $DEB"
say "package: $DEB"

# --- 2. The package itself --------------------------------------------------------------------
contents=$(dpkg-deb -c "$DEB" | awk '{print $6}' | sed 's|^\./|/|')
expect_file() { grep -qx "$1" <<<"$contents" || die "the package lacks $1"; }
for f in /usr/bin/x2gobroker-fcgi /usr/bin/x2gobroker-agent-query /usr/sbin/x2gobroker-authservice \
         /usr/sbin/x2gobroker-loadchecker /etc/x2go/x2gobroker.conf /etc/x2go/broker/defaults.conf \
         /etc/x2go/broker/x2gobroker-sessionprofiles.conf /etc/x2go/broker/x2gobroker-sessionprofiles.yaml \
         /etc/pam.d/x2gobroker /etc/logrotate.d/x2gobroker /etc/apache2/conf-available/x2gobroker.conf \
         /etc/nginx/sites-available/x2gobroker /usr/share/x2gobroker/nginx/x2gobroker.conf \
         /usr/share/x2gobroker/nginx/x2gobroker-prefix.conf /usr/share/x2gobroker/apache/x2gobroker-prefix.conf \
         /lib/systemd/system/x2gobroker-fcgi.socket /lib/systemd/system/x2gobroker-fcgi.service \
         /lib/systemd/system/x2gobroker-authservice.service /lib/systemd/system/x2gobroker-loadchecker.service \
         /usr/lib/tmpfiles.d/x2gobroker.conf /usr/share/doc/x2gobroker-cpp/copyright; do
  expect_file "$f"
done
ok "the package has the expected $(wc -l <<<"$contents") entries (binaries, conffiles, units, snippets)"
# Optional programs of other directories: when their target exists they must be packaged.
for p in x2gobroker x2gobroker-testauth; do
  [ ! -x "$BUILD_DIR/bin/$p" ] || expect_file "/usr/bin/$p"
done
for p in x2gobroker-keygen x2gobroker-testagent; do
  [ ! -x "$BUILD_DIR/bin/$p" ] || expect_file "/usr/sbin/$p"
done
if grep -q '^/usr/local' <<<"$contents"; then die "files below /usr/local"; fi
control=$(dpkg-deb -f "$DEB")
depends=$(dpkg-deb -f "$DEB" Depends)
for lib in libfcgi0ldbl libssh2-1 libyaml-cpp0.7 libssl3 libpam0g libcurl4 adduser; do
  grep -q "\\b$lib\\b" <<<"$depends" || die "Depends lacks $lib: $depends"
done
ok "Depends: $depends"
grep -q '^Conflicts: .*x2gobroker-common' <<<"$control" || die "no Conflicts with x2gobroker-common"
conffiles=$(dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles)
for f in $(grep '^/etc/' <<<"$contents" | grep -v '/$'); do
  grep -qx "$f" <<<"$conffiles" || die "$f is not a conffile"
done
ok "every file in /etc is a conffile ($(wc -l <<<"$conffiles"))"
# Files that another package installed on this machine owns must be covered by Conflicts/Replaces
# (here: Debian's Python broker, which install-deps puts on the test machine as the oracle).
declared=" $(dpkg-deb -f "$DEB" Conflicts | tr -d ',') "
clashes=()
while read -r f; do
  [ -n "$f" ] || continue
  owners=$(dpkg-query -S "$f" 2>/dev/null | grep -v '^diversion' | sed 's/: .*//' | tr -d ',') || continue
  for o in $owners; do
    case "$declared" in *" $o "*) ;; *) [ "$o" = x2gobroker-cpp ] || clashes+=("$f ($o)") ;; esac
  done
done < <(dpkg-deb -c "$DEB" | grep -v '^d' | awk '{print $6}' | sed 's|^\./|/|')
[ "${#clashes[@]}" -eq 0 ] || die "files owned by undeclared packages: ${clashes[*]}"
ok "no file clashes with installed packages outside Conflicts ($declared)"

# --- 3. Where to install ----------------------------------------------------------------------
ROOT=
mounted=()
pids=()
cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  if [ "$MODE" = host ] && dpkg-query -W -f='${Status}' x2gobroker-cpp 2>/dev/null | grep -q 'installed\|config-files'; then
    dpkg -P x2gobroker-cpp >/dev/null
  fi
  local i p
  # Anything still running inside our root was started by this test: stop it by pid.
  if [ -n "$ROOT" ]; then
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] && kill -KILL "${p#/proc/}" 2>/dev/null
    done
    sleep 0.2
  fi
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}"; done
  if [ -n "$ROOT" ] && [ -d "$ROOT" ]; then
    if [ -n "${KEEP_ROOT:-}" ]; then say "root kept: $ROOT"; else rm -rf --one-file-system "$ROOT"; fi
  fi
}
trap cleanup EXIT

if [ "$MODE" = chroot ]; then
  in_root() { chroot "$ROOT" "$@"; }
  # Background: `bg_in_root CMD... &` would fork a subshell and $! would name it, not CMD.
  bg_in_root() { chroot "$ROOT" "$@" & }
  ROOT=$(mktemp -d "${PKGTEST_WORK:-/tmp}/x2gobroker-pkgtest.XXXXXX")
  chmod 0755 "$ROOT"
  base="$CACHE/$SUITE-minbase.tar"
  if [ ! -f "$base" ]; then
    command -v debootstrap >/dev/null || die "debootstrap is missing (scripts/install-deps installs it)"
    # The mirror apt uses here (one-line or deb822 sources).
    MIRROR=${MIRROR:-$( (grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true) | head -n1 | tr -d ' ')}
    MIRROR=${MIRROR:-http://deb.debian.org/debian}
    say "debootstrap $SUITE from $MIRROR (once; cached in $base)"
    debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.debootstrap.log" 2>&1 \
      || { tail -n 20 "$ROOT.debootstrap.log" >&2; die "debootstrap failed (log: $ROOT.debootstrap.log)"; }
    rm -f "$ROOT.debootstrap.log"
    # Keep package scripts from starting services (nginx on :80) inside the root.
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
    chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    mount -t proc proc "$ROOT/proc" && mounted+=("$ROOT/proc")
    # What the test itself uses, plus the package's libraries (apt then needs no download).
    in_root apt-get install -y -q --no-install-recommends nginx-light spawn-fcgi curl procps passwd \
      libfcgi0ldbl libssh2-1 libyaml-cpp0.7 libssl3 libpam0g libcurl4 libpam-runtime adduser \
      >"$ROOT/tmp/apt.log" 2>&1 || { tail -n 20 "$ROOT/tmp/apt.log" >&2; die "apt-get install in the root failed"; }
    in_root apt-get clean
    umount "$ROOT/proc" && mounted=()
    mkdir -p "$CACHE"
    tar -C "$ROOT" -cf "$base.tmp" . && mv "$base.tmp" "$base"
  else
    tar -C "$ROOT" -xf "$base"
  fi
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  mount -t proc proc "$ROOT/proc" && mounted+=("$ROOT/proc")
  mount --bind /dev "$ROOT/dev" && mounted+=("$ROOT/dev")
  ok "fresh $SUITE root in $ROOT"
elif [ "$MODE" = host ]; then
  in_root() { "$@"; }
  bg_in_root() { "$@" & }
  for p in x2gobroker-common x2gobroker-authservice x2gobroker-loadchecker x2gobroker; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'installed'; then
      die "PACKAGE_TEST_MODE=host: $p is installed and conflicts with x2gobroker-cpp; use the chroot mode"
    fi
  done
else
  die "PACKAGE_TEST_MODE must be chroot or host"
fi
R=$ROOT   # prefix for paths in the install root ("" on the host)

# --- 4. Install -------------------------------------------------------------------------------
cp "$DEB" "$R/tmp/x2gobroker-cpp.deb"
user_existed=0
in_root getent passwd x2gobroker >/dev/null && user_existed=1
if [ "$MODE" = chroot ]; then
  in_root apt-get install -y -q /tmp/x2gobroker-cpp.deb >"$R/tmp/install.log" 2>&1 \
    || { cat "$R/tmp/install.log" >&2; die "apt-get install ./x2gobroker-cpp.deb failed"; }
else
  dpkg -i "$R/tmp/x2gobroker-cpp.deb" >"$R/tmp/install.log" 2>&1 \
    || { cat "$R/tmp/install.log" >&2; die "dpkg -i failed (missing dependencies? apt-get install ./x.deb)"; }
fi
in_root dpkg-query -W -f='${Status}\n' x2gobroker-cpp | grep -q '^install ok installed$' || die "not installed"
ok "installed with $( [ "$MODE" = chroot ] && echo 'apt-get install ./x2gobroker-cpp.deb' || echo 'dpkg -i')"

# --- 5. Installed files, account, directories ----------------------------------------------------
for f in /usr/bin/x2gobroker-fcgi /usr/sbin/x2gobroker-authservice /usr/sbin/x2gobroker-loadchecker \
         /usr/bin/x2gobroker-agent-query; do
  [ -x "$R$f" ] || die "$f is not executable"
done
in_root getent passwd x2gobroker | grep -q ':/var/lib/x2gobroker:' || die "account x2gobroker missing or wrong home"
in_root getent group x2gobroker >/dev/null || die "group x2gobroker missing"
ok "account: $(in_root getent passwd x2gobroker)"
check_dir() {  # path mode owner group
  local got
  got=$(in_root stat -c '%a %U %G' "$1" 2>/dev/null) || die "$1 missing"
  [ "$got" = "$2 $3 $4" ] || die "$1 is '$got', expected '$2 $3 $4'"
}
check_dir /run/x2gobroker 750 x2gobroker www-data
check_dir /var/lib/x2gobroker/cookies 700 x2gobroker x2gobroker
check_dir /var/lib/x2gobroker/key-deletions 700 x2gobroker x2gobroker
ok "directories /run/x2gobroker, /var/lib/x2gobroker/{cookies,key-deletions} with owner and mode"
if in_root sh -c 'command -v deb-systemd-helper' >/dev/null; then
  for link in sockets.target.wants/x2gobroker-fcgi.socket multi-user.target.wants/x2gobroker-authservice.service; do
    [ -L "$R/etc/systemd/system/$link" ] || die "postinst did not enable $link"
  done
  [ ! -e "$R/etc/systemd/system/multi-user.target.wants/x2gobroker-loadchecker.service" ] || die "loadchecker enabled by default"
  ok "enabled: x2gobroker-fcgi.socket, x2gobroker-authservice.service (not the load checker)"
fi
# An upgrade runs postinst configure <old version>: same package again, a local edit of a
# conffile must survive.
echo '# local edit' >>"$R/etc/x2go/broker/defaults.conf"
in_root dpkg -i --force-confold /tmp/x2gobroker-cpp.deb >"$R/tmp/reinstall.log" 2>&1 \
  || { cat "$R/tmp/reinstall.log" >&2; die "reinstall (upgrade path) failed"; }
grep -q '^# local edit' "$R/etc/x2go/broker/defaults.conf" || die "reinstall lost the conffile edit"
ok "reinstall (postinst configure <old-version>) keeps a conffile edit"
version=$(in_root /usr/bin/x2gobroker-fcgi --version) || die "x2gobroker-fcgi --version failed"
ok "x2gobroker-fcgi --version: $version"
in_root /usr/sbin/x2gobroker-authservice --version >/dev/null || die "x2gobroker-authservice --version failed"
in_root /usr/sbin/x2gobroker-loadchecker --version >/dev/null || die "x2gobroker-loadchecker --version failed"
in_root /usr/bin/x2gobroker-fcgi --check-config -C /etc/x2go/x2gobroker.conf >"$R/tmp/check.log" 2>&1 \
  || { cat "$R/tmp/check.log" >&2; die "--check-config fails on the shipped configuration"; }
ok "x2gobroker-fcgi --check-config -C /etc/x2go/x2gobroker.conf passes"

# --- 6. systemd units ------------------------------------------------------------------------
if command -v systemd-analyze >/dev/null && systemd-analyze verify --help >/dev/null 2>&1; then
  units=(x2gobroker-fcgi.socket x2gobroker-fcgi.service x2gobroker-authservice.service x2gobroker-loadchecker.service)
  # Unit files from the root, with their programs' paths pointing into it (verify checks
  # that ExecStart= is executable on this machine).
  udir=$(mktemp -d)
  for u in "${units[@]}"; do
    sed -e "s|^ExecStart=/usr/|ExecStart=$R/usr/|" "$R/lib/systemd/system/$u" >"$udir/$u"
  done
  if out=$(cd "$udir" && systemd-analyze verify --man=no "${units[@]/#/$udir/}" 2>&1); then
    ok "systemd-analyze verify: ${units[*]}"
  else
    # Users and groups that exist only in the root are not an error of the units.
    filtered=$(grep -v 'x2gobroker\b.*user\|www-data' <<<"$out" || true)
    [ -z "$filtered" ] || { printf '%s\n' "$out" >&2; rm -rf "$udir"; die "systemd-analyze verify"; }
    ok "systemd-analyze verify (ignoring: $out)"
  fi
  rm -rf "$udir"
else
  say "skip: systemd-analyze verify is not available here"
fi

# --- 7. Run it as README.md says: authservice (root), spawn-fcgi as x2gobroker, nginx --------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A local account for a real PAM login through the auth service.
in_root useradd -M -s /usr/sbin/nologin pkgtest 2>/dev/null || true
echo 'pkgtest:Pkg-Test-Pw-1' | in_root chpasswd

bg_in_root /usr/sbin/x2gobroker-authservice -o root -g x2gobroker -p 0660 --fail-delay 100 >"$R/tmp/authservice.log" 2>&1
pids+=($!)
in_root spawn-fcgi -s /run/x2gobroker/x2gobroker-fcgi.socket -M 0660 -U www-data -u x2gobroker -F 1 \
  -P /run/x2gobroker/x2gobroker-fcgi.pid -- /usr/bin/x2gobroker-fcgi -C /etc/x2go/x2gobroker.conf \
  >"$R/tmp/broker.log" 2>&1 || { cat "$R/tmp/broker.log" >&2; die "spawn-fcgi failed"; }
for _ in $(seq 50); do [ -s "$R/run/x2gobroker/x2gobroker-fcgi.pid" ] && break; sleep 0.1; done
broker_pid=$(cat "$R/run/x2gobroker/x2gobroker-fcgi.pid")
pids+=("$broker_pid")
for _ in $(seq 50); do [ -S "$R/run/x2gobroker/x2gobroker-authservice.socket" ] && break; sleep 0.1; done
[ -S "$R/run/x2gobroker/x2gobroker-authservice.socket" ] || { cat "$R/tmp/authservice.log" >&2; die "no auth service socket"; }
[ "$(in_root stat -c '%U %a' /run/x2gobroker/x2gobroker-fcgi.socket)" = "www-data 660" ] || die "fcgi socket owner/mode"
[ "$(ps -o uid= -p "$broker_pid" | tr -d ' ')" = "$(in_root id -u x2gobroker)" ] || die "the broker does not run as x2gobroker"
ok "x2gobroker-authservice (root) and x2gobroker-fcgi (x2gobroker, spawn-fcgi) running"

mkdir -p "$R/tmp/nginx"
cat >"$R/tmp/nginx/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid /tmp/nginx/nginx.pid;
error_log /tmp/nginx/error.log;
events { worker_connections 64; }
http {
    access_log /tmp/nginx/access.log;
    client_body_temp_path /tmp/nginx/body;
    fastcgi_temp_path /tmp/nginx/fastcgi;
    proxy_temp_path /tmp/nginx/proxy;
    server {
        listen 127.0.0.1:$port;
        include /usr/share/x2gobroker/nginx/x2gobroker.conf;
    }
}
EOF
in_root nginx -t -c /tmp/nginx/nginx.conf >"$R/tmp/nginx-t.log" 2>&1 || { cat "$R/tmp/nginx-t.log" >&2; die "nginx -t with the shipped snippet"; }
# The shipped HTTPS site, with a throw-away certificate instead of snakeoil.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=broker.example.org -days 1 \
  -keyout "$R/tmp/nginx/key.pem" -out "$R/tmp/nginx/cert.pem" >/dev/null 2>&1 || die "openssl req"
sed -e 's|/etc/ssl/certs/ssl-cert-snakeoil.pem|/tmp/nginx/cert.pem|' \
    -e 's|/etc/ssl/private/ssl-cert-snakeoil.key|/tmp/nginx/key.pem|' \
    "$R/etc/nginx/sites-available/x2gobroker" >"$R/tmp/nginx/site.conf"
printf 'pid /tmp/nginx/site.pid;\nerror_log /tmp/nginx/site-error.log;\nevents {}\nhttp { include /tmp/nginx/site.conf; }\n' \
  >"$R/tmp/nginx/site-test.conf"
in_root nginx -t -c /tmp/nginx/site-test.conf >"$R/tmp/nginx-t.log" 2>&1 || { cat "$R/tmp/nginx-t.log" >&2; die "nginx -t of /etc/nginx/sites-available/x2gobroker"; }
ok "nginx -t: the snippet, and the HTTPS site /etc/nginx/sites-available/x2gobroker"
bg_in_root nginx -c /tmp/nginx/nginx.conf -g 'daemon off;' >"$R/tmp/nginx/stderr.log" 2>&1
pids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
ok "nginx with /usr/share/x2gobroker/nginx/x2gobroker.conf on 127.0.0.1:$port"

url=http://127.0.0.1:$port
body=$(curl -sS -w '\n%{http_code}' "$url/") || die "curl /"
[ "$(tail -n1 <<<"$body")" = 200 ] && grep -q 'It works' <<<"$body" || die "GET / answered: $body"
ok "GET / -> 200 It works"
body=$(curl -sS -w '\n%{http_code}' -d 'task=listsessions&user=pkgtest&password=Pkg-Test-Pw-1' "$url/plain/inifile/") || die "curl listsessions"
code=$(tail -n1 <<<"$body")
if [ "$code" != 200 ] || ! grep -q '^AUTHID:' <<<"$body" || ! grep -q '^Access granted' <<<"$body"; then
  printf '%s\n' "$body" >&2; cat "$R/tmp/broker.log" "$R/tmp/authservice.log" >&2
  die "listsessions with the right password"
fi
grep -q 'localhost-mate' <<<"$body" || die "listsessions lacks the sample profile: $body"
ok "POST /plain/inifile/ listsessions (PAM via the auth service) -> 200, AUTHID, Access granted, sample profiles"
code=$(curl -sS -o /dev/null -w '%{http_code}' -d 'task=listsessions&user=pkgtest&password=wrong' "$url/plain/inifile/")
[ "$code" = 401 ] || die "wrong password answered $code"
ok "wrong password -> 401"
kill -HUP "$broker_pid"
sleep 0.5
code=$(curl -sS -o /dev/null -w '%{http_code}' "$url/")
[ "$code" = 200 ] && kill -0 "$broker_pid" || die "broker gone after SIGHUP"
ok "SIGHUP reload keeps serving"

# Stop everything before the purge.
for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && die "pid $pid did not stop on SIGTERM"
done
pids=()
if [ -n "$ROOT" ]; then
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] && die "still running in the root: $(tr '\0' ' ' <"$p/cmdline")"
  done
fi
in_root userdel pkgtest 2>/dev/null || true
ok "SIGTERM stops broker, auth service and nginx"

# --- 8. Purge -----------------------------------------------------------------------------------
in_root dpkg -P x2gobroker-cpp >"$R/tmp/purge.log" 2>&1 || { cat "$R/tmp/purge.log" >&2; die "dpkg -P failed"; }
if in_root dpkg-query -W x2gobroker-cpp >/dev/null 2>&1; then die "x2gobroker-cpp still known to dpkg"; fi
for f in /usr/bin/x2gobroker-fcgi /etc/x2go/x2gobroker.conf /etc/pam.d/x2gobroker \
         /lib/systemd/system/x2gobroker-fcgi.socket /usr/share/x2gobroker; do
  [ ! -e "$R$f" ] || die "$f left after the purge"
done
for link in sockets.target.wants/x2gobroker-fcgi.socket multi-user.target.wants/x2gobroker-authservice.service; do
  [ ! -L "$R/etc/systemd/system/$link" ] || die "the purge left $link"
done
in_root getent passwd x2gobroker >/dev/null || die "the purge removed the account (site data)"
[ -d "$R/var/lib/x2gobroker" ] || die "the purge removed /var/lib/x2gobroker (site data)"
ok "dpkg -P removed files and conffiles, kept the x2gobroker account and /var/lib/x2gobroker"
if [ "$MODE" = host ] && [ "$user_existed" = 0 ]; then
  say "note: the account x2gobroker and /var/lib/x2gobroker stay (by design: userdel -r x2gobroker to remove)"
fi

say "all $passed checks passed ($MODE)"
