# SPDX-License-Identifier: AGPL-3.0-or-later
"""The SSH broker `x2gobroker` (PROTOCOL.md §8, issue #5 item 1).

(a) build/bin/x2gobroker run directly with X2Go Client's exact command lines (§8.1), as the
    daemon user `x2gobroker` (the trusted "magic user", so `--user` is honoured) and as an
    ordinary user, side by side with the reference CLI /usr/bin/x2gobroker on the same
    configuration and profiles: stdout byte for byte, where the reference rejects X2Go
    Client's setpass/clientevent options ours accepts them (§13 row 29).
(b) The same binary for real through OpenSSH: a loopback sshd of the test farm, a test user
    logging in with a key and running the command exactly as X2Go Client wraps it
    (`bash -l -c 'echo "X2GODATABEGIN:<uuid>"; ...'`); the payload between the markers equals
    the plain frontend's answer (x2gobroker-fcgi behind nginx) plus one "\\n".
(c) X2Go Client offscreen with an ssh:// broker URL and --broker-ssh-key gets the profile list.

Needs root (setpriv, the farm's sshd and test users).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import harness

sys.path.insert(0, str(harness.REPO / "test" / "farm"))
import farm as farm_mod  # noqa: E402

OUR_CLI = harness.BIN_DIR / "x2gobroker"
REFERENCE_CLI = "/usr/bin/x2gobroker"
SETPRIV = "/usr/bin/setpriv"  # unlike runuser it leaves LOGNAME as we set it
X2GOCLIENT = "/usr/bin/x2goclient"
CONFIG = "noauth.conf"
PROFILES = "profiles-basic.conf"
DAEMON_USER = harness.BROKER_SYSTEM_USER  # x2gobroker
OTHER_USER = "nobody"

pytestmark = [
    pytest.mark.skipif(not OUR_CLI.exists(), reason=f"{OUR_CLI} not built"),
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root (setpriv, sshd, test users)"),
]
needs_reference = pytest.mark.skipif(not Path(REFERENCE_CLI).exists(),
                                     reason="reference CLI missing (apt-get install python3-x2gobroker)")


class CliSetup:
    """A 0755 run directory with a copy of our binary, the configuration and the profiles,
    readable by every user (the CI checkout may be 0700)."""

    def __init__(self, config_text: str, profiles_text: str, cookie_owner: str | None = None) -> None:
        self.dir = harness.make_run_dir("x2gobroker-it-cli-")
        bin_dir = self.dir / "bin"
        bin_dir.mkdir(mode=0o755)
        self.bin = bin_dir / "x2gobroker"
        shutil.copy2(OUR_CLI, self.bin)
        self.bin.chmod(0o755)
        self.profiles = self.dir / "sessionprofiles.conf"
        self.profiles.write_text(profiles_text, encoding="utf-8")
        self.config = self.dir / "x2gobroker.conf"
        self.config.write_text(harness.with_session_profiles(config_text, self.profiles), encoding="utf-8")
        # The reference keeps its cookies in ~/.x2go/broker-cookies of the process user.
        self.home = self.dir / "home"
        self.home.mkdir(mode=0o777)
        self.home.chmod(0o777)
        for f in (self.profiles, self.config):
            f.chmod(0o644)
        if cookie_owner:
            pw = pwd.getpwnam(cookie_owner)
            cookies = self.dir / "cookies"
            cookies.mkdir(mode=0o700)
            os.chown(cookies, pw.pw_uid, pw.pw_gid)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, which: str, args: list[str], as_user: str = DAEMON_USER, logname: str | None = None,
            ssh_client: str | None = None) -> subprocess.CompletedProcess:
        """Runs our CLI ("ours") or the reference ("reference") as `as_user` with
        LOGNAME=`logname` (default: that user) and returns the completed process (bytes)."""
        if which == "ours":
            prog = [str(self.bin), "-C", str(self.config)]
        else:
            prog = [harness.SYSTEM_PYTHON, REFERENCE_CLI, "-C", str(self.config)]
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb",
               "LOGNAME": logname or as_user, "USER": as_user, "HOME": str(self.home),
               "X2GOBROKER_SESSIONPROFILES": str(self.profiles)}
        if ssh_client:
            env["SSH_CLIENT"] = ssh_client
        pw = pwd.getpwnam(as_user)
        become = [SETPRIV, f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--init-groups", "--"]
        return subprocess.run([*become, *prog, *args], env=env, cwd=self.dir,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def noauth():
    s = CliSetup(harness.read_data(CONFIG), harness.read_data(PROFILES))
    yield s
    s.close()


# --- (a) X2Go Client's command lines, ours next to the reference ------------------------------

# §8.1, values inserted as X2Go Client does (its quotes around sid etc. are removed by bash).
SAME_AS_REFERENCE = {
    "listsessions": ["--user", "foo", "--task", "listsessions"],
    "listsessions-authid": ["--user", "foo", "--authid", "0123abcd-0000-4000-8000-000000000000", "--task",
                            "listsessions"],
    "selectsession": ["--user", "foo", "--task", "selectsession", "--sid", "alpha"],
    "selectsession-login": ["--user", "foo", "--task", "selectsession", "--sid", "alpha", "--login", "foo"],
    "selectsession-unknown": ["--user", "foo", "--task", "selectsession", "--sid", "nosuch"],
    "aliases": ["--user", "foo", "--auth-cookie", "x", "--task", "selectsession", "--profile-id", "alpha"],
    "double-dash": ["--user", "foo", "--task", "listsessions", "--", "--task", "testcon", "junk"],
    "ssh-client": ["--user", "foo", "--task", "listsessions"],
}


@needs_reference
@pytest.mark.parametrize("case", sorted(SAME_AS_REFERENCE))
def test_same_bytes_as_reference(noauth, case):
    args = SAME_AS_REFERENCE[case]
    ssh_client = "10.9.8.7 51000 22" if case == "ssh-client" else None
    ref = noauth.run("reference", args, ssh_client=ssh_client)
    ours = noauth.run("ours", args, ssh_client=ssh_client)
    assert ref.returncode == 0, ref.stderr.decode(errors="replace")[-2000:]
    assert ours.returncode == 0, ours.stderr.decode(errors="replace")[-2000:]
    assert ours.stdout == ref.stdout
    assert ours.stdout.endswith(b"\n\n")
    assert b"Traceback" not in ours.stderr


@needs_reference
def test_listsessions_content(noauth):
    """--user is honoured for the daemon user: the profiles are rendered for foo."""
    out = noauth.run("ours", SAME_AS_REFERENCE["listsessions"]).stdout.decode()
    assert out.startswith("Access granted\nSTART_USER_SESSIONS\n\n[alpha]\n"), out
    assert out.endswith("END_USER_SESSIONS\n\n")
    assert "\nuser=foo\n" in out


@needs_reference
def test_user_switch_refused_for_ordinary_user(noauth):
    """--user of an ordinary caller: warning, the caller's own name is used (as the reference)."""
    args = ["--user", "foo", "--task", "listsessions"]
    ref = noauth.run("reference", args, as_user=OTHER_USER)
    ours = noauth.run("ours", args, as_user=OTHER_USER)
    assert ours.returncode == 0 and ref.returncode == 0
    assert ours.stdout == ref.stdout
    assert f"\nuser={OTHER_USER}\n".encode() in ours.stdout
    assert b"denying context change to user 'foo'" in ours.stderr


def test_logname_spoofing_grants_nothing(noauth):
    """Deviation (cli/identity.h): LOGNAME=x2gobroker set by an ordinary caller (the setuid
    wrapper passes the environment on) does not make --user work. The reference trusts it."""
    ours = noauth.run("ours", ["--user", "foo", "--task", "listsessions"], as_user=OTHER_USER, logname=DAEMON_USER)
    assert ours.returncode == 0
    assert f"\nuser={OTHER_USER}\n".encode() in ours.stdout
    assert b"\nuser=foo\n" not in ours.stdout
    assert b"ignoring LOGNAME='x2gobroker'" in ours.stderr


@needs_reference
def test_testcon(noauth):
    """Deviation (§5.2, §13 row 11): the plain frontend's testcon answer (Access granted plus
    padding) instead of the reference's bare OK; both are read by the selectsession parser."""
    ref = noauth.run("reference", ["--task", "testcon"])
    assert ref.stdout == b"OK\n"
    for args in (["--task", "testcon"], ["--authid", "x", "--task", "testcon"]):
        ours = noauth.run("ours", args)
        assert ours.returncode == 0
        assert ours.stdout.startswith(b"Access granted\n\n")
        assert ours.stdout.strip(b"\n") == b"Access granted"
        assert len(ours.stdout) > 1024


SETPASS = ["--user", "foo", "--task", "setpass", "--newpass", "n3wPass"]
CLIENTEVENT = ["--user", "foo", "--authid", "0123abcd-0000-4000-8000-000000000000", "--task", "clientevent",
               "--sid", "alpha", "--event", "CONNECT", "--server", "127.0.0.1", "--client", "10.1.1.1",
               "--login", "foo", "--cmd", "XFCE", "--display", "50", "--start", "2026-11-25T10:00:00",
               "--elapsed", "12", "--version", "4.1.2.3", "--os", "Linux"]


@needs_reference
@pytest.mark.parametrize("args", [SETPASS, CLIENTEVENT], ids=["setpass", "clientevent"])
def test_rejected_by_reference_accepted_by_ours(noauth, args):
    ref = noauth.run("reference", args)
    assert ref.returncode == 2
    assert b"unrecognized arguments" in ref.stderr
    ours = noauth.run("ours", args)
    assert ours.returncode == 0, ours.stderr.decode(errors="replace")
    assert ours.stdout == b"Access granted\n\n"
    assert b"Traceback" not in ours.stderr
    assert b"n3wPass" not in ours.stderr


def test_clientevent_logs_one_line(noauth):
    ours = noauth.run("ours", CLIENTEVENT)
    lines = [ln for ln in ours.stderr.decode().splitlines() if "client event" in ln]
    assert len(lines) == 1, ours.stderr
    assert "client event CONNECT for foo (profile alpha): server=127.0.0.1 client=10.1.1.1" in lines[0]
    assert "os=Linux" in lines[0]


@needs_reference
def test_no_task(noauth):
    ref = noauth.run("reference", [])
    ours = noauth.run("ours", [])
    assert ref.returncode == ours.returncode == 254
    assert ours.stdout.endswith(b"No task specified, doing nothing...\n\n")
    assert ref.stdout.endswith(b"No task specified, doing nothing...\n\n")
    assert ours.stdout.startswith(b"usage: x2gobroker")


def test_unknown_backend_is_one_line(noauth):
    for backend in ("nosuch", "inifile;import os", "zeroconf"):
        ours = noauth.run("ours", ["--backend", backend, "--task", "listsessions"])
        assert ours.returncode == 1
        assert ours.stdout == b""
        err = ours.stderr.decode()
        assert err.count("\n") == 1 and "backend" in err and "Traceback" not in err, err


def test_check_config(noauth):
    ours = noauth.run("ours", ["--check-config"])
    assert ours.returncode == 0, ours.stdout
    assert b"configuration OK" in ours.stdout
    bad = noauth.dir / "bad.conf"
    bad.write_text("[global]\nrequire-password = maybe\n")
    bad.chmod(0o644)
    p = noauth.run("ours", ["--check-config", "-C", str(bad)])
    assert p.returncode == 1
    assert b"error: " in p.stdout


def test_bad_option_exit_2(noauth):
    ours = noauth.run("ours", ["--task", "listsessions", "--bogus"])
    assert ours.returncode == 2
    assert ours.stdout == b""
    assert b"--bogus: unknown option" in ours.stderr


# --- require-password: cookies in cookie-directory (ours only; §4.1, §13 row 7) ---------------

AUTH_CONFIG = """\
[global]
require-password = true
require-cookie = false
default-auth-mech = pam
default-agent-query-mode = NONE
default-portscan-x2goservers = false
cookie-directory = {cookies}
"""


@pytest.fixture(scope="module")
def with_password():
    s = CliSetup("", harness.read_data(PROFILES), cookie_owner=DAEMON_USER)
    s.config.write_text(harness.with_session_profiles(AUTH_CONFIG.format(cookies=s.dir / "cookies"), s.profiles))
    s.config.chmod(0o644)
    yield s
    s.close()


def test_ssh_login_issues_and_rotates_cookies(with_password):
    """SSH has authenticated the user: the password check is skipped (PAM would refuse `foo`),
    an AUTHID is issued; a given AUTHID is validated, rotated, and refused once spent."""
    first = with_password.run("ours", ["--user", "foo", "--task", "listsessions"])
    assert first.returncode == 0, first.stderr
    lines = first.stdout.decode().split("\n")
    assert lines[0].startswith("AUTHID:") and len(lines[0]) == 7 + 36
    assert lines[1] == "Access granted"
    a = lines[0][7:]
    assert len(list((with_password.dir / "cookies").iterdir())) >= 1
    second = with_password.run("ours", ["--user", "foo", "--authid", a, "--task", "selectsession", "--sid", "alpha"])
    out = second.stdout.decode()
    assert out.startswith("AUTHID:") and a not in out
    assert out.endswith("Access granted\nSERVER:127.0.0.1:22\n\n")
    spent = with_password.run("ours", ["--user", "foo", "--authid", a, "--task", "listsessions"])
    assert spent.returncode == 0
    assert spent.stdout == b""  # denied: no output at all (§8.2)
    assert b"access denied" in spent.stderr
    # a cookie is bound to its address
    c = with_password.run("ours", ["--user", "foo", "--task", "testcon"]).stdout.decode()[7:43]
    moved = with_password.run("ours", ["--user", "foo", "--authid", c, "--task", "listsessions"],
                              ssh_client="10.1.2.3 1 22")
    assert moved.stdout == b""


# --- (b) for real through OpenSSH, as X2Go Client runs it ------------------------------------

def _wrapped(command: str, marker: str) -> str:
    """X2Go Client's exec request (PROTOCOL.md §8.1)."""
    return (f"bash -l -c 'echo \"X2GODATABEGIN:{marker}\"; export PATH=\"/usr/local/bin:/usr/bin:/bin\";"
            f"export TERM=\"dumb\"; {command}; echo \"X2GODATAEND:{marker}\";'")


def _payload(stdout: str, marker: str) -> str:
    begin, end = f"X2GODATABEGIN:{marker}\n", f"X2GODATAEND:{marker}\n"
    assert begin in stdout and end in stdout, stdout
    return stdout.split(begin, 1)[1].split(end, 1)[0]


@pytest.fixture(scope="module")
def ssh_farm():
    missing = farm_mod.missing_parts()
    if missing:
        pytest.skip("farm cannot start: " + ", ".join(missing))
    setup = CliSetup(harness.read_data(CONFIG), harness.read_data(PROFILES))
    # What the URL path names: a launcher with our configuration, as x2gobroker-ssh execs the CLI.
    launcher = setup.dir / "bin" / "x2gobroker-ssh"
    launcher.write_text(f"#!/bin/sh\nexec {setup.bin} -C {setup.config} \"$@\"\n")
    launcher.chmod(0o755)
    with farm_mod.Farm(1, users=("alice",)) as farm:
        login = farm.user("alice")
        pw = pwd.getpwnam(login)
        key = setup.dir / "alice_ed25519"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@test", "-f", str(key)], check=True)
        ssh_dir = Path(pw.pw_dir) / ".ssh"
        ssh_dir.mkdir(mode=0o700, exist_ok=True)
        (ssh_dir / "authorized_keys").write_text(Path(str(key) + ".pub").read_text())
        for p in (ssh_dir, ssh_dir / "authorized_keys"):
            os.chown(p, pw.pw_uid, pw.pw_gid)
        yield farm, setup, login, key, launcher
    setup.close()


def test_over_openssh_like_x2goclient(ssh_farm, our_broker):
    farm, setup, login, key, launcher = ssh_farm
    server = farm.servers["ts01"]
    plain = our_broker(CONFIG, PROFILES).post("/plain/inifile/", f"task=listsessions&user={login}")
    assert plain.status == 200
    assert f"\nuser={login}\n".encode() in plain.body
    for command, expected in (
            (f"{launcher} --user u --task listsessions", plain.body.decode() + "\n"),
            (f"{launcher} --user u --task selectsession --sid \"alpha\"", "Access granted\nSERVER:127.0.0.1:22\n\n"),
            (f"{launcher} --user u --task setpass --newpass x", "Access granted\n\n")):
        marker = str(uuid.uuid4())
        r = farm.ssh_user(server.name, "alice", key, _wrapped(command, marker))
        assert r.rc == 0, r.stderr
        assert _payload(r.stdout, marker) == expected, r.stderr
        assert "denying context change to user 'u'" in r.stderr


# --- (c) X2Go Client offscreen with an ssh:// broker URL -------------------------------------

@pytest.mark.skipif(not Path(X2GOCLIENT).exists(), reason="x2goclient not installed")
def test_x2goclient_ssh_broker_url(ssh_farm):
    """X2Go Client runs as the test user: libssh reads known_hosts from the password database's
    home, not $HOME, so the client cannot run as root with a temporary home here."""
    farm, setup, login, key, launcher = ssh_farm
    server = farm.servers["ts01"]
    pw = pwd.getpwnam(login)
    home = Path(pw.pw_dir)
    ssh_dir = home / ".ssh"
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    (ssh_dir / "known_hosts").write_text(f"[{server.address}]:{server.port} {server.host_key_pub}\n")
    shutil.copyfile(key, ssh_dir / "id_ed25519")
    shutil.copyfile(str(key) + ".pub", ssh_dir / "id_ed25519.pub")
    (ssh_dir / "id_ed25519").chmod(0o600)
    for p in (runtime, ssh_dir / "known_hosts", ssh_dir / "id_ed25519", ssh_dir / "id_ed25519.pub"):
        os.chown(p, pw.pw_uid, pw.pw_gid)
    log_path = setup.dir / "xc.log"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "USER": login, "LOGNAME": login, "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime)}
    argv = [SETPRIV, f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--init-groups", "--", X2GOCLIENT,
            "--debug", "--no-menu", f"--broker-url=ssh://{login}@{server.address}:{server.port}{launcher}",
            f"--broker-ssh-key={ssh_dir / 'id_ed25519'}", "--broker-autologin", "--sessionid=alpha"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                                cwd=home, start_new_session=True)
        try:
            harness.wait_until(lambda: "Server port:" in log_path.read_text(errors="replace") or
                               proc.poll() is not None, timeout=40)
        finally:
            harness._kill_group(proc, wait=5)
    text = log_path.read_text(errors="replace")
    assert "Reading 3 sessions from config file." in text, text[-4000:]
    assert 'Server IP address: "127.0.0.1"' in text, text[-4000:]
    assert 'Server port: "22"' in text, text[-4000:]


# --- through a setuid copy, as x2gobroker-ssh runs it (§8.3) ----------------------------------

def test_setuid_refuses_config_file(noauth):
    """Run setuid (real uid nobody, effective uid x2gobroker) the caller may not choose the
    configuration: -C is refused with one line, exit 1 (X2GOBROKER_* variables are dropped)."""
    suid_dir = noauth.dir / "suid"
    suid_dir.mkdir(mode=0o755, exist_ok=True)
    suid = suid_dir / "x2gobroker"
    shutil.copy2(noauth.bin, suid)
    daemon = pwd.getpwnam(DAEMON_USER)
    os.chown(suid, daemon.pw_uid, daemon.pw_gid)
    suid.chmod(0o4755)
    nobody = pwd.getpwnam(OTHER_USER)
    p = subprocess.run([SETPRIV, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--init-groups", "--",
                        str(suid), "-C", str(noauth.config), "--task", "listsessions"],
                       capture_output=True, timeout=30,
                       env={"PATH": "/usr/bin:/bin", "LOGNAME": OTHER_USER})
    if p.returncode == 0 and b"Access granted" in p.stdout:
        pytest.skip("setuid bits are ignored here (nosuid mount)")
    assert p.returncode == 1
    assert p.stdout == b""
    # The first line is ours; an ASan build adds LeakSanitizer's complaint that it cannot run in
    # a setuid process ("does not work under ptrace").
    assert p.stderr.splitlines()[0] == b"x2gobroker: -C/--config-file is not allowed through the setuid wrapper"
    assert all(b"LeakSanitizer" in ln or b"HINT" in ln for ln in p.stderr.splitlines()[1:]), p.stderr
