# SPDX-License-Identifier: AGPL-3.0-or-later
"""Our agent clients (agent/: SshAgentClient, LocalAgentClient) against the REAL test farm
(test/farm/: loopback sshds, the real Debian x2gobroker-agent behind the forced command), driven
through the ops tool x2gobroker-agent-query from $X2GOBROKER_BIN_DIR (PROTOCOL.md §9, §13 rows
4, 14, 23, 30).

Exit codes of the tool: 0 ok, 2 usage/invalid argument, 3 unavailable, 4 time-out."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import harness

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "farm"))

import farm as farm_mod  # noqa: E402

QUERY = harness.BIN_DIR / "x2gobroker-agent-query"

_MISSING = [m for m in farm_mod.missing_parts()
            if "openssh-server" in m or "x2gobroker-agent" in m]
pytestmark = [
    pytest.mark.skipif(bool(_MISSING), reason="test farm needs: " + ", ".join(_MISSING)),
    pytest.mark.skipif(not QUERY.exists(), reason=f"{QUERY} not built"),
]


def _no_sanitizer_report(text: str) -> None:
    for pattern in harness.SANITIZER_PATTERNS:
        assert pattern not in text, text


def _accepted(server: farm_mod.Server) -> int:
    """Logins of x2gobroker the server's sshd has accepted so far (LogLevel VERBOSE)."""
    return len(re.findall(r"Accepted publickey for x2gobroker ", server.log.read_text(errors="replace")))


def _drop_connections(server: farm_mod.Server) -> int:
    """SIGKILL the sshd processes serving established connections on the server's port (all of
    them started by this test's farm). Returns how many were killed."""
    out = subprocess.run(["ss", "-Htnp", "state", "established", f"( sport = :{server.port} )"],
                         capture_output=True, text=True, check=True).stdout
    pids = {int(p) for p in re.findall(r"pid=(\d+)", out)}
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(pids)


class Farm:
    """Helpers around one farm for the module."""

    def __init__(self, f: farm_mod.Farm, base: Path) -> None:
        self.f = f
        self.base = base
        self.key_dirs: dict[str, Path] = {}
        for ktype in ("rsa", "ed25519"):
            d = base / f"keys-{ktype}"
            d.mkdir(mode=0o700)
            shutil.copyfile(f.key(ktype).private, d / f"id_{ktype}")
            (d / f"id_{ktype}").chmod(0o600)
            self.key_dirs[ktype] = d

    def known_hosts_copy(self, name: str, text: str | None = None) -> Path:
        path = self.base / f"known_hosts-{name}-{secrets.token_hex(4)}"
        path.write_text(self.f.known_hosts.read_text() if text is None else text)
        return path

    def query(self, server: str, *call: str, key: str = "rsa", known_hosts: Path | None = None,
              policy: str = "RejectPolicy", extra: tuple[str, ...] = (), timeout: float = 60,
              hostname: bool = True) -> subprocess.CompletedProcess:
        s = self.f.server(server)
        argv = [str(QUERY), "--mode", "ssh", "--address", s.address, "--port", str(s.port),
                "--key-dir", str(self.key_dirs[key]),
                "--known-hosts", str(known_hosts or self.f.known_hosts),
                "--system-known-hosts", "/dev/null", "--policy", policy,
                "--connect-timeout-ms", "3000", "--command-timeout-ms", "20000", *extra]
        if hostname:
            argv += ["--hostname", s.name]
        p = subprocess.run([*argv, "--", *call], capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=timeout)
        _no_sanitizer_report(p.stderr)
        return p


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    with farm_mod.Farm(2, users=("alice", "bob")) as f:
        yield Farm(f, tmp_path_factory.mktemp("agent-client"))


@pytest.mark.parametrize("key", ["rsa", "ed25519"])
def test_ping_and_listsessions_over_ssh(farm, key):
    alice = farm.f.user("alice")
    s = farm.f.add_session("alice", "ts02", status="S")
    p = farm.query("ts01", "foo", "ping", key=key)
    assert p.returncode == 0 and p.stdout == "", p
    assert "result: ok" in p.stderr, p
    p = farm.query("ts01", alice, "listsessions", key=key)
    assert p.returncode == 0, p
    by_sid = {ln.split("|")[1]: ln.split("|") for ln in p.stdout.splitlines()}
    assert by_sid[s.sid][3:5] == ["ts02", "S"], p


def test_connection_reuse(farm):
    server = farm.f.server("ts02")
    before = _accepted(server)
    p = farm.query("ts02", "foo", "ping", extra=("--repeat", "5"))
    assert p.returncode == 0, p
    assert p.stderr.count("result: ok") == 5, p
    assert "connections established=1 reused=4" in p.stderr, p
    assert harness.wait_until(lambda: _accepted(server) == before + 1, 5), server.log.read_text()[-2000:]
    time.sleep(0.3)
    assert _accepted(server) == before + 1


def test_server_restart_between_calls_is_retried_on_a_new_connection(farm):
    s = farm.f.server("ts01")
    argv = [str(QUERY), "--address", s.address, "--port", str(s.port), "--hostname", s.name,
            "--key-dir", str(farm.key_dirs["rsa"]), "--known-hosts", str(farm.f.known_hosts),
            "--system-known-hosts", "/dev/null", "--stdin"]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1)
    try:
        proc.stdin.write("foo\tping\n")
        proc.stdin.flush()
        first = proc.stderr.readline()
        while first and not first.startswith("result:"):
            first = proc.stderr.readline()
        assert first.strip() == "result: ok", first
        # sshd's per-connection processes run in their own session and survive a restart of the
        # listener (as with `systemctl restart ssh`): kill them too, like a reboot would.
        farm.f.stop_server("ts01")
        assert _drop_connections(s) >= 1
        farm.f.start_server("ts01")
        proc.stdin.write(f"{farm.f.user('alice')}\tlistsessions\n")
        proc.stdin.close()
        err = proc.stderr.read()
        proc.stdout.read()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    _no_sanitizer_report(err)
    assert proc.returncode == 0, err
    assert "result: ok" in err and "retrying on a new one" in err, err
    assert "connections established=2 reused=1" in err, err


def test_unknown_host_key_is_refused_under_reject_policy(farm):
    server = farm.f.server("ts01")
    before = _accepted(server)
    kh = farm.known_hosts_copy("empty", "")
    p = farm.query("ts01", "foo", "ping", known_hosts=kh)
    assert p.returncode == 3, p
    assert "unknown host key" in p.stderr, p
    assert kh.read_text() == ""
    time.sleep(0.3)
    assert _accepted(server) == before  # nothing logged in


def test_auto_add_pins_the_key(farm):
    s = farm.f.server("ts02")
    kh = farm.known_hosts_copy("autoadd", "")
    p = farm.query("ts02", "foo", "ping", known_hosts=kh, policy="AutoAddPolicy")
    assert p.returncode == 0, p
    assert kh.read_text() == f"[{s.address}]:{s.port} {s.host_key_pub}\n"
    p = farm.query("ts02", "foo", "ping", known_hosts=kh, policy="RejectPolicy", hostname=False)
    assert p.returncode == 0, p
    assert kh.read_text().count("\n") == 1  # not pinned twice


def test_mismatching_host_key_refused_even_under_auto_add(farm):
    s1, s2 = farm.f.server("ts01"), farm.f.server("ts02")
    before = _accepted(s1)
    text = f"[{s1.address}]:{s1.port} {s2.host_key_pub}\n"
    kh = farm.known_hosts_copy("mismatch", text)
    for policy in ("AutoAddPolicy", "WarningPolicy", "RejectPolicy"):
        p = farm.query("ts01", "foo", "ping", known_hosts=kh, policy=policy)
        assert p.returncode == 3, (policy, p)
        assert "HOST KEY MISMATCH" in p.stderr, p
    assert kh.read_text() == text
    time.sleep(0.3)
    assert _accepted(s1) == before


def test_warning_policy_accepts_and_logs(farm):
    kh = farm.known_hosts_copy("warning", "")
    p = farm.query("ts01", "foo", "ping", known_hosts=kh, policy="WarningPolicy")
    assert p.returncode == 0, p
    assert "WARNING" in p.stderr and "WarningPolicy" in p.stderr, p
    assert kh.read_text() == ""  # never pinned


def test_refused_port_fails_fast(farm):
    port = harness.free_port("127.0.0.1")
    start = time.monotonic()
    p = subprocess.run([str(QUERY), "--address", "127.0.0.1", "--port", str(port),
                        "--key-dir", str(farm.key_dirs["rsa"]), "--known-hosts",
                        str(farm.f.known_hosts), "foo", "ping"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 3, p
    assert "refused" in p.stderr.lower(), p
    assert time.monotonic() - start < 2.0


def test_paused_server_times_out(farm):
    farm.f.pause_server("ts02")
    try:
        start = time.monotonic()
        p = farm.query("ts02", "foo", "ping", extra=("--connect-timeout-ms", "1000"))
        took = time.monotonic() - start
    finally:
        farm.f.resume_server("ts02")
    assert p.returncode == 4, p
    assert "timed out" in p.stderr, p
    assert 0.9 <= took < 4.0, took
    assert farm.query("ts02", "foo", "ping").returncode == 0


def test_hostile_user_and_session_id_are_refused_before_sending(farm):
    marker = Path(f"/tmp/x2gobroker-agent-it-{secrets.token_hex(4)}")
    server = farm.f.server("ts01")
    before = _accepted(server)
    alice = farm.f.user("alice")
    calls = [
        (f"bob$(touch {marker})", "listsessions"),
        (f"bob`touch {marker}`", "ping"),
        (alice, "suspendsession", f"{alice}-50-1700000000_stDXFCE_dp24;touch {marker}"),
        (alice, "terminatesession", f"x';touch {marker};'"),
        (alice, "addauthkey", f"ssh-ed25519 AAAA $(touch {marker})", "%h/.x2go/authorized_keys"),
        (alice, "addauthkey", "ssh-ed25519 AAAA c", f"%h/x;touch {marker}"),
        ("foo", "nosuchtask"),
    ]
    for call in calls:
        p = farm.query("ts01", *call)
        assert p.returncode == 2, (call, p)
        assert "connections established=0 reused=0" in p.stderr, p
    time.sleep(0.3)
    assert not marker.exists()
    assert _accepted(server) == before


def test_agent_stderr_is_logged_and_the_call_fails(farm):
    p = farm.query("ts01", "nosuchuser-farm", "listsessions")
    assert p.returncode == 3, p
    assert p.stdout == ""
    assert re.search(r"WARNING agent listsessions on .* wrote to stderr: no such user on system", p.stderr), p
    # system users are refused by the agent itself
    p = farm.query("ts01", "root", "listsessions")
    assert p.returncode == 3 and "operation on system user" in p.stderr, p


def test_suspendsession_over_ssh(farm):
    s = farm.f.add_session("bob", "ts01", status="R")
    p = farm.query("ts02", farm.f.user("bob"), "suspendsession", s.sid)
    assert p.returncode == 0, p
    status = {f[1]: f[4] for f in farm.f.list_sessions("bob")}
    assert status[s.sid] == "S"


def test_local_mode_as_x2gobroker(farm):
    """LOCAL: argv exec of the setuid agent by a member of group x2gobroker; the broker host sees
    the same SQLite DB here."""
    run_dir = farm.f.dir / "local-tool"  # the farm's directory is 0755, pytest's tmp is not
    run_dir.mkdir(mode=0o755)
    tool = run_dir / QUERY.name
    shutil.copy2(QUERY, tool)  # the checkout may not be reachable for x2gobroker
    tool.chmod(0o755)
    alice = farm.f.user("alice")
    s = farm.f.add_session("alice", "ts01", status="R")

    def local(*call: str) -> subprocess.CompletedProcess:
        p = subprocess.run(["runuser", "-u", farm_mod.AGENT_USER, "--", str(tool), "--mode", "local",
                            "--", *call], capture_output=True, text=True, timeout=60, cwd="/",
                           stdin=subprocess.DEVNULL)
        _no_sanitizer_report(p.stderr)
        return p

    p = local("foo", "ping")
    assert p.returncode == 0 and "result: ok" in p.stderr, p
    p = local(alice, "listsessions")
    assert p.returncode == 0, p
    by_sid = {ln.split("|")[1]: ln.split("|") for ln in p.stdout.splitlines()}
    assert by_sid[s.sid][3:5] == ["ts01", "R"], p
    p = local("nosuchuser-farm", "listsessions")
    assert p.returncode == 3 and "no such user on system" in p.stderr, p
    marker = Path(f"/tmp/x2gobroker-agent-it-{secrets.token_hex(4)}")
    p = local(f"bob$(touch {marker})", "listsessions")
    assert p.returncode == 2 and not marker.exists(), p
