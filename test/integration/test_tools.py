# SPDX-License-Identifier: AGPL-3.0-or-later
"""The admin tools of tools/ (PROTOCOL.md §12.3) as an admin runs them, as root:

* x2gobroker-keygen into temporary directories and a temporary account's ~/.ssh (both key
  types, --force, modes and owner, exit 253);
* x2gobroker-testagent against the real test farm (test/farm/): ping and listsessions over SSH,
  an unknown host key refused, -A pinning it and printing its SHA256 fingerprint, then a normal
  run; a changed host key refused; LOCAL ping;
* x2gobroker-testauth with `none` and with PAM for a real temporary user (through
  x2gobroker-authservice and the in-process fallback);
* x2gobroker-pubkeyauthorizer against our broker's /pubkeys/ (plain HTTP, --insecure-http),
  twice (idempotent), and refusing a bad line.

Needs root (useradd, chown, the farm). Binaries from $X2GOBROKER_BIN_DIR (default build/bin).
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import os
import pwd
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import harness

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "farm"))

import farm as farm_mod  # noqa: E402

KEYGEN = harness.BIN_DIR / "x2gobroker-keygen"
TESTAGENT = harness.BIN_DIR / "x2gobroker-testagent"
TESTAUTH = harness.BIN_DIR / "x2gobroker-testauth"
AUTHORIZER = harness.BIN_DIR / "x2gobroker-pubkeyauthorizer"
MAN_DIR = harness.REPO / "man"
BROKER_USER = harness.BROKER_SYSTEM_USER
FORCED = ('command="/usr/lib/x2go/x2gobroker-agent",no-port-forwarding,no-X11-forwarding,'
          'no-agent-forwarding,no-pty')

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root: chown, useradd, the farm"),
    pytest.mark.skipif(not all(p.exists() for p in (KEYGEN, TESTAGENT, TESTAUTH, AUTHORIZER)),
                       reason=f"tools not built in {harness.BIN_DIR}"),
]


def run(argv: list, input: str | None = None, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    p = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=timeout,
                       input=input, stdin=None if input is not None else subprocess.DEVNULL,
                       env={**os.environ, **(env or {})})
    for pattern in harness.SANITIZER_PATTERNS:
        assert pattern not in p.stderr, p.stderr
    return p


def fingerprint(public_line: str) -> str:
    """SHA256 fingerprint of `type base64 [comment]`, as ssh-keygen -l prints it."""
    blob = base64.b64decode(public_line.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


@pytest.fixture
def temp_user():
    users = harness.create_pam_users(["unused-Pw-1"], prefix="x2gtl-")
    try:
        yield users[0]
    finally:
        harness.remove_pam_users(users)


def test_help_and_man_pages():
    for tool in (KEYGEN, TESTAGENT, TESTAUTH, AUTHORIZER):
        p = run([tool, "--help"])
        assert p.returncode == 0 and p.stdout.startswith("Usage: " + tool.name), p
        page = MAN_DIR / f"{tool.name}.8"
        assert page.is_file(), page
        check = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(page)], capture_output=True, text=True)
        assert check.returncode == 0 and check.stderr == "", check.stderr
    p = run([TESTAGENT, "--list-tasks"])
    assert p.stdout.split() == ["ping", "availabletasks", "listsessions", "getservers", "findbusyservers",
                                "checkload", "addauthkey", "delauthkey", "suspendsession", "terminatesession"]
    assert run([KEYGEN, "--bogus"]).returncode == 2


# ---- x2gobroker-keygen ---------------------------------------------------------------------

@pytest.mark.parametrize("ktype,file,header", [
    ("ED25519", "id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----"),
    ("RSA", "id_rsa", "-----BEGIN RSA PRIVATE KEY-----"),
])
def test_keygen_in_a_directory(tmp_path, ktype, file, header):
    ssh_dir = tmp_path / "ssh"
    owner = pwd.getpwnam(BROKER_USER)
    p = run([KEYGEN, "-t", ktype, "--ssh-dir", ssh_dir, "--user", BROKER_USER])
    assert p.returncode == 0, p
    private, public = ssh_dir / file, ssh_dir / f"{file}.pub"
    assert private.read_text().startswith(header + "\n")
    pub = public.read_text()
    assert pub.endswith("\n") and len(pub.split()) == 2, pub
    if ktype == "RSA":
        assert pub.startswith("ssh-rsa AAAAB3NzaC1yc2EA")  # what the reference authorizer accepts
        bits = subprocess.run(["ssh-keygen", "-lf", str(public)], capture_output=True, text=True).stdout
        assert bits.startswith("2048 "), bits
    derived = subprocess.run(["ssh-keygen", "-y", "-f", str(private)], capture_output=True, text=True, check=True)
    assert derived.stdout.split()[:2] == pub.split()
    for path, mode in ((ssh_dir, 0o750), (private, 0o600), (public, 0o644)):
        st = path.stat()
        assert stat.S_IMODE(st.st_mode) == mode, (path, oct(st.st_mode))
        assert (st.st_uid, st.st_gid) == (owner.pw_uid, owner.pw_gid), path
    assert [x.name for x in ssh_dir.iterdir() if x.name.startswith(".")] == []  # no temporary left

    # Refuses to overwrite without --force (the reference's exit 253), files untouched.
    p = run([KEYGEN, "---key-type", ktype.lower(), "--ssh-dir", ssh_dir, "--user", BROKER_USER])
    assert p.returncode == 253, p
    assert "--force" in p.stderr
    assert public.read_text() == pub
    p = run([KEYGEN, "-t", ktype, "-f", "--ssh-dir", ssh_dir, "--user", BROKER_USER])
    assert p.returncode == 0, p
    assert public.read_text() != pub
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_keygen_in_the_accounts_home(temp_user):
    home = Path(pwd.getpwnam(temp_user.name).pw_dir)
    p = run([KEYGEN, "--user", temp_user.name])
    assert p.returncode == 0, p
    st = (home / ".ssh").stat()
    assert stat.S_IMODE(st.st_mode) == 0o750 and st.st_uid == pwd.getpwnam(temp_user.name).pw_uid
    assert (home / ".ssh" / "id_ed25519.pub").read_text().startswith("ssh-ed25519 ")
    assert run([KEYGEN, "--user", temp_user.name]).returncode == 253
    assert run([KEYGEN, "--user", "no-such-user-x2g"]).returncode == 1


# ---- x2gobroker-testagent ------------------------------------------------------------------

_FARM_MISSING = [m for m in farm_mod.missing_parts() if "openssh-server" in m or "x2gobroker-agent" in m]


class AgentSetup:
    """The farm's broker keys in a directory of the broker's user (inside the farm's run
    directory: the tool drops to that user, who cannot enter pytest's 0700 temporary
    directories) and configs naming them (read as root)."""

    def __init__(self, f: farm_mod.Farm, base: Path) -> None:
        self.f = f
        self.base = base
        self.keys = f.install_for(BROKER_USER)

    def config(self, known_hosts: Path) -> Path:
        path = self.base / f"x2gobroker-{known_hosts.name}.conf"
        path.write_text(f"[global]\nagent-ssh-directory = {self.keys}\nagent-known-hosts = {known_hosts}\n"
                        "agent-connect-timeout = 5\nagent-command-timeout = 20\n")
        return path

    def known_hosts(self, name: str, text: str) -> Path:
        path = self.keys / name
        path.write_text(text)
        owner = pwd.getpwnam(BROKER_USER)
        os.chown(path, owner.pw_uid, owner.pw_gid)
        return path

    def testagent(self, server: str, *args: str, config: Path) -> subprocess.CompletedProcess:
        s = self.f.server(server)
        return run([TESTAGENT, "-C", config, "-H", f"{s.address}:{s.port}", *args])


@pytest.fixture(scope="module")
def agent_farm(tmp_path_factory):
    if _FARM_MISSING:
        pytest.skip("test farm needs: " + ", ".join(_FARM_MISSING))
    with farm_mod.Farm(2, users=("alice",)) as f:
        yield AgentSetup(f, tmp_path_factory.mktemp("tools-agent"))


def test_testagent_ping_and_listsessions(agent_farm):
    config = agent_farm.config(agent_farm.known_hosts("known_hosts", agent_farm.f.known_hosts.read_text()))
    p = agent_farm.testagent("ts01", config=config)
    assert p.returncode == 0 and p.stdout == "", p
    alice = agent_farm.f.user("alice")
    s = agent_farm.f.add_session("alice", "ts02", status="S")
    p = agent_farm.testagent("ts01", "-t", "listsessions", "--user", alice, config=config)
    assert p.returncode == 0, p
    rows = {ln.split("|")[1]: ln.split("|") for ln in p.stdout.splitlines()}
    assert rows[s.sid][3:5] == ["ts02", "S"], p
    # A user is required for listsessions; an invalid one is refused before anything is sent.
    p = agent_farm.testagent("ts01", "-t", "listsessions", config=config)
    assert p.returncode == 2 and "needs a user" in p.stderr, p
    p = agent_farm.testagent("ts01", "-t", "listsessions", "-u", "bad;user", config=config)
    assert p.returncode == 2, p


def test_testagent_pins_an_unknown_host_with_A(agent_farm):
    server = agent_farm.f.server("ts02")
    pinned = agent_farm.known_hosts("known_hosts-empty", "")
    config = agent_farm.config(pinned)
    p = agent_farm.testagent("ts02", config=config)
    assert p.returncode == 3, p
    assert "unknown host key" in p.stderr and "-A" in p.stderr, p
    assert len(p.stderr.strip().splitlines()) <= 2, p.stderr  # the reason, not a trace
    assert pinned.read_text() == ""

    expected = fingerprint(server.host_key_pub)
    p = agent_farm.testagent("ts02", "-A", config=config)
    assert p.returncode == 0, p
    assert expected in p.stdout and "new: pinned" in p.stdout, p
    assert f"[{server.address}]:{server.port} {server.host_key_pub.split()[0]}" in pinned.read_text()

    p = agent_farm.testagent("ts02", config=config)
    assert p.returncode == 0 and p.stdout == "", p
    p = agent_farm.testagent("ts02", "-A", config=config)
    assert p.returncode == 0 and expected in p.stdout and "already known" in p.stdout, p
    assert pinned.read_text().count("\n") == 1


def test_testagent_refuses_a_changed_host_key(agent_farm):
    ts01, ts02 = agent_farm.f.server("ts01"), agent_farm.f.server("ts02")
    wrong = agent_farm.known_hosts("known_hosts-wrong", f"[{ts01.address}]:{ts01.port} {ts02.host_key_pub}\n")
    p = agent_farm.testagent("ts01", "-A", config=agent_farm.config(wrong))
    assert p.returncode == 3 and "mismatch" in p.stderr, p


def test_testagent_unreachable(agent_farm, tmp_path):
    config = agent_farm.config(agent_farm.known_hosts("known_hosts", agent_farm.f.known_hosts.read_text()))
    p = run([TESTAGENT, "-C", config, "-H", f"127.0.0.1:{harness.free_port()}"])
    assert p.returncode == 3 and p.stderr.startswith("x2gobroker-testagent: "), p


def test_testagent_local_ping(agent_farm):
    config = agent_farm.config(agent_farm.known_hosts("known_hosts", agent_farm.f.known_hosts.read_text()))
    p = run([TESTAGENT, "-C", config, "-t", "ping"])
    assert p.returncode == 0 and p.stdout == "", p


# ---- x2gobroker-testauth -------------------------------------------------------------------

def test_testauth_none(tmp_path):
    conf = tmp_path / "none.conf"
    conf.write_text("[global]\ndefault-auth-mech = none\n")
    p = run([TESTAUTH, "-C", conf, "-u", "anybody", "-p", "whatever"])
    assert (p.returncode, p.stdout) == (0, "Authentication succeeded.\n"), p
    # Per backend: [broker_inifile] auth-mech wins over the global one.
    conf.write_text("[global]\ndefault-auth-mech = none\n[broker_inifile]\nauth-mech = nonexistent\n")
    p = run([TESTAUTH, "-C", conf, "-u", "anybody", "-p", "whatever"])
    assert (p.returncode, p.stdout) == (255, "Authentication failed!\n"), p
    assert "nonexistent" in p.stderr
    assert run([TESTAUTH, "-C", conf]).returncode == 2  # no user


def test_testauth_pam(tmp_path):
    installed = harness.install_pam_service_file()
    users = harness.create_pam_users(["Corr3ct-horse sp ace"], prefix="x2gta-")
    service = harness.AuthService()
    try:
        user = users[0]
        conf = tmp_path / "pam.conf"
        conf.write_text("[global]\ndefault-auth-mech = pam\n")
        env = {"X2GOBROKER_AUTHSERVICE_SOCKET": str(service.socket_path)}
        p = run([TESTAUTH, "-C", conf, "-u", user.name, "-p", user.password], env=env)
        assert (p.returncode, p.stdout) == (0, "Authentication succeeded.\n"), p
        # The password from a pipe (not a terminal), one line.
        p = run([TESTAUTH, "-C", conf, "-u", user.name], input=user.password + "\n", env=env)
        assert (p.returncode, p.stdout) == (0, "Authentication succeeded.\n"), p
        p = run([TESTAUTH, "-C", conf, "-u", user.name, "-d"], input="wrong-password\n", env=env)
        assert (p.returncode, p.stdout) == (255, "Authentication failed!\n"), p
        assert "wrong-password" not in p.stderr + p.stdout
        p = run([TESTAUTH, "-C", conf, "-u", "no-such-user-x2g", "-p", "x"], env=env)
        assert p.returncode == 255, p
        # Without the service: PAM in this process (root can read /etc/shadow).
        env_none = {"X2GOBROKER_AUTHSERVICE_SOCKET": str(tmp_path / "absent.socket")}
        p = run([TESTAUTH, "-C", conf, "-u", user.name, "-p", user.password], env=env_none)
        assert (p.returncode, p.stdout) == (0, "Authentication succeeded.\n"), p
        assert user.password not in p.stderr
    finally:
        service.stop()
        harness.remove_pam_users(users)
        if installed:
            harness.PAM_SERVICE_FILE.unlink()


# ---- x2gobroker-pubkeyauthorizer -----------------------------------------------------------

def test_pubkeyauthorizer_from_our_broker(temp_user, tmp_path):
    # The broker's account is the temporary user: keygen writes its ~/.ssh/id_rsa(.pub), the
    # broker serves it on /pubkeys/ (X2GOBROKER_DAEMON_USER).
    assert run([KEYGEN, "-t", "RSA", "--user", temp_user.name]).returncode == 0
    home = Path(pwd.getpwnam(temp_user.name).pw_dir)
    pub = (home / ".ssh" / "id_rsa.pub").read_text().split()
    broker = harness.OurBroker(harness.read_data("noauth.conf"), harness.read_data("profiles-basic.conf"),
                               env={"X2GOBROKER_DAEMON_USER": temp_user.name})
    try:
        url = broker.url("/pubkeys/")
        served = broker.get("/pubkeys/").text
        assert served.startswith(f"{FORCED} ssh-rsa {pub[1]} "), served

        owner = pwd.getpwnam(BROKER_USER)
        ak = tmp_path / "authorized_keys"
        other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG80VW46nY3PwSzwd/ccw8x5SJesSlU5mVbXMfcR7Kko admin@laptop"
        ak.write_text(f"{other}\nssh-rsa {pub[1]} unrestricted-old-entry\n# last line without newline")
        ak.chmod(0o600)

        p = run([AUTHORIZER, "-t", url, "--authorized-keys", ak, "--user", BROKER_USER])
        assert p.returncode == 1 and "http://" in p.stderr, p  # plain HTTP needs the test flag

        p = run([AUTHORIZER, "-t", url, "--insecure-http", "--authorized-keys", ak, "--user", BROKER_USER])
        assert p.returncode == 0, p
        assert "1 key(s) added" in p.stdout and "1 older entry removed" in p.stdout, p
        text = ak.read_text()
        lines = text.splitlines()
        assert text.endswith("\n")
        assert lines[0] == other and lines[1] == "# last line without newline"
        assert lines[2].startswith(f"{FORCED} ssh-rsa {pub[1]}"), lines
        assert len(lines) == 3
        st = ak.stat()
        assert stat.S_IMODE(st.st_mode) == 0o644 and (st.st_uid, st.st_gid) == (owner.pw_uid, owner.pw_gid)

        p = run([AUTHORIZER, "-t", url, "--insecure-http", "--authorized-keys", ak, "--user", BROKER_USER])
        assert p.returncode == 0 and "0 key(s) added, 1 already present" in p.stdout, p
        assert ak.read_text() == text

        # Root, the account's own ~/.ssh/authorized_keys (created with ~/.ssh).
        target = harness.create_pam_users(["unused-Pw-2"], prefix="x2gtk-")
        try:
            thome = Path(pwd.getpwnam(target[0].name).pw_dir)
            p = run([AUTHORIZER, "--broker-url", url, "--insecure-http", "--user", target[0].name])
            assert p.returncode == 0, p
            tak = thome / ".ssh" / "authorized_keys"
            assert tak.read_text().startswith(f"{FORCED} ssh-rsa {pub[1]}")
            assert tak.stat().st_uid == pwd.getpwnam(target[0].name).pw_uid
            assert stat.S_IMODE((thome / ".ssh").stat().st_mode) == 0o700
        finally:
            harness.remove_pam_users(target)
    finally:
        broker.stop()


class _BodyHandler(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("bad", [
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ x2gobroker@b",  # no forced command
    'command="/bin/sh",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG80VW46nY3PwSzwd/ccw8x5SJesSlU5mVbXMfcR7Kko',
    FORCED + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG80VW46nY3PwSzwd/ccw8x5SJesSlU5mVbXMfcR7Kko x;id",
    "<html>404</html>",
])
def test_pubkeyauthorizer_refuses_a_bad_line(tmp_path, bad):
    good = FORCED + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG80VW46nY3PwSzwd/ccw8x5SJesSlU5mVbXMfcR7Kko x2gobroker@b"
    handler = type("H", (_BodyHandler,), {"body": f"# keys\n{good}\n{bad}\n".encode()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ak = tmp_path / "authorized_keys"
        ak.write_text("# untouched\n")
        url = f"http://127.0.0.1:{server.server_address[1]}/pubkeys/"
        p = run([AUTHORIZER, "-t", url, "--insecure-http", "--authorized-keys", ak, "--user", BROKER_USER])
        assert p.returncode == 1 and "line 3:" in p.stderr and "nothing changed" in p.stderr, p
        assert ak.read_text() == "# untouched\n"
        # The same body without the bad line is accepted.
        handler.body = f"# keys\n{good}\n".encode()
        p = run([AUTHORIZER, "-t", url, "--insecure-http", "--authorized-keys", ak, "--user", BROKER_USER])
        assert p.returncode == 0, p
        assert ak.read_text() == "# untouched\n" + good + "\n"
    finally:
        server.shutdown()
        server.server_close()
