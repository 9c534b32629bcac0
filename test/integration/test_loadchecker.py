# SPDX-License-Identifier: AGPL-3.0-or-later
"""x2gobroker-loadchecker on a real farm (issue 4 item 6; PROTOCOL.md §9.6, §10.3, §11.2):
loopback sshds with the real Debian x2gobroker-agent (test/farm/farm.py), a 3-server profile in
SSH mode with the load checker on.

Covered: --once prints a numeric load factor per host (all equal: one machine), a stopped server
is HOST-UNREACHABLE, the daemon serves the broker's framed protocol (--query is the broker's own
client class), unknown profiles and profiles that do not use the load checker are not served,
a peer with another uid is refused, SIGHUP reloads (a broken config is refused, the old data
kept), SIGTERM removes the socket.
"""

from __future__ import annotations

import os
import pwd
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

_MISSING = [m for m in farm_mod.missing_parts() if "openssh-server" in m or "x2gobroker-agent" in m]
pytestmark = pytest.mark.skipif(bool(_MISSING), reason="test farm needs: " + ", ".join(_MISSING))

LOADCHECKER = harness.BIN_DIR / "x2gobroker-loadchecker"
NAMES = ("ts01", "ts02", "ts03")
ERROR_WORDS = ("LOAD-UNAVAILABLE", "HOST-UNREACHABLE", "LOAD-DATA-BOGUS")


def config_text(keys: Path, run_dir: Path, interval: int = 300) -> str:
    return f"""[global]
require-password = false
require-cookie = false
default-auth-mech = none
default-agent-query-mode = SSH
default-use-load-checker = true
load-checker-intervals = {interval}
agent-ssh-directory = {keys}
agent-known-hosts = {keys}/known_hosts
agent-connect-timeout = 3
agent-command-timeout = 10
key-deletion-directory = {run_dir}/key-deletions

[broker_inifile]
enable = true
session-profiles = {run_dir}/profiles.conf
"""


def profiles_text(farm) -> str:
    return (f"[pool]\nname=Pool\nhost={farm.host_list()}\ncommand=XFCE\n\n"
            # one host: never polled (§10.3 needs >= 2)
            f"[single]\nname=Single\nhost={farm.server('ts01').alias}\ncommand=XFCE\n\n"
            # switched off per profile
            f"[off]\nname=Off\nhost={farm.host_list()}\ncommand=XFCE\nbroker-use-load-checker=false\n")


@pytest.fixture(scope="module")
def farm():
    with farm_mod.Farm(3, users=("alice",)) as f:
        yield f


@pytest.fixture(scope="module")
def setup(farm):
    if not LOADCHECKER.exists():
        pytest.fail(f"{LOADCHECKER} missing: build the x2gobroker-loadchecker target")
    run_dir = harness.make_run_dir("x2gobroker-lc-")
    keys = farm.install_for("root", run_dir / "keys")
    (run_dir / "profiles.conf").write_text(profiles_text(farm))
    conf = run_dir / "x2gobroker.conf"
    conf.write_text(config_text(keys, run_dir))
    # A copy any user can run (the checkout may be private), for the foreign-uid test.
    binary = run_dir / LOADCHECKER.name
    shutil.copy2(LOADCHECKER, binary)
    os.chmod(binary, 0o755)
    yield {"dir": run_dir, "conf": conf, "keys": keys, "binary": binary}
    if not os.environ.get("X2GOBROKER_IT_KEEP"):
        shutil.rmtree(run_dir, ignore_errors=True)


def env() -> dict[str, str]:
    return harness._clean_env()


def run(binary: Path, *args: str, timeout: float = 60.0, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, str(binary), *args], capture_output=True, text=True, timeout=timeout, env=env())


def table(stdout: str) -> dict[tuple[str, str, str], str]:
    out = {}
    for line in stdout.splitlines():
        backend, profile, host, value = line.split("\t")
        out[(backend, profile, host)] = value
    return out


def test_once_prints_a_load_factor_per_host(setup):
    r = run(setup["binary"], "--once", "-C", str(setup["conf"]))
    assert r.returncode == 0, r
    t = table(r.stdout)
    assert sorted(t) == [("inifile", "pool", n) for n in NAMES], r
    values = [t[("inifile", "pool", n)] for n in NAMES]
    assert all(v.isdigit() and int(v) > 0 for v in values), r
    # One machine: the same load data, give or take a changing load average / free memory.
    ints = [int(v) for v in values]
    assert max(ints) <= 2 * min(ints), values


def test_once_stopped_server_is_unreachable(farm, setup):
    farm.stop_server("ts02")
    try:
        r = run(setup["binary"], "--once", "-C", str(setup["conf"]))
    finally:
        farm.start_server("ts02")
    assert r.returncode == 0, r
    t = table(r.stdout)
    assert t[("inifile", "pool", "ts02")] == "HOST-UNREACHABLE", r
    assert t[("inifile", "pool", "ts01")].isdigit() and t[("inifile", "pool", "ts03")].isdigit(), r
    assert "checkload on ts02" in r.stderr, r


class Daemon:
    def __init__(self, setup, name: str = "lc") -> None:
        self.binary = setup["binary"]
        self.socket = setup["dir"] / f"{name}.sock"
        self.log_path = setup["dir"] / f"{name}.log"
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [str(self.binary), "-C", str(setup["conf"]), "--socket", str(self.socket), "--socket-mode", "0666"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=env(), start_new_session=True)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def query(self, backend: str, profile: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        return run(self.binary, "--socket", str(self.socket), "--query", backend, profile, timeout=10, prefix=prefix)

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


@pytest.fixture(scope="module")
def daemon(setup):
    d = Daemon(setup)
    try:
        assert harness.wait_until(lambda: "poll cycle:" in d.log_text(), 30), d.log_text()
        yield d
    finally:
        d.stop()


def loads(r: subprocess.CompletedProcess) -> dict[str, str]:
    return dict(line.rsplit(":", 1) for line in r.stdout.splitlines())


def test_daemon_answers_the_broker_client(daemon):
    r = daemon.query("inifile", "pool")
    assert r.returncode == 0, r
    got = loads(r)
    assert sorted(got) == list(NAMES), r
    assert all(v.isdigit() for v in got.values()), r


def test_profiles_not_polled_are_not_served(daemon):
    for profile in ("single", "off", "no-such-profile"):
        r = daemon.query("inifile", profile)
        assert r.returncode == 0 and r.stdout == "", (profile, r)
    r = daemon.query("yaml", "pool")
    assert r.returncode == 0 and r.stdout == "", r


def test_id_with_control_character_is_not_sent(daemon):
    r = daemon.query("inifile", "po\rol")
    assert r.returncode == 2 and r.stdout == "", r


def test_peer_with_another_uid_is_refused(daemon):
    nobody = pwd.getpwnam("nobody")
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    before = len(daemon.log_text())
    r = daemon.query("inifile", "pool", prefix=(setpriv, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}",
                                                "--clear-groups", "--"))
    assert r.returncode == 3 and r.stdout == "", r
    assert "without an answer" in r.stderr, r
    assert harness.wait_until(lambda: f"refused a connection from uid={nobody.pw_uid}" in daemon.log_text()[before:],
                              5), daemon.log_text()[before:]
    assert daemon.query("inifile", "pool").returncode == 0  # still serving


def test_sighup_with_a_broken_config_keeps_the_data(daemon, setup):
    conf = setup["conf"]
    good = conf.read_text()
    try:
        conf.write_text(good + "\n[global\nbroken\n")
        before = len(daemon.log_text())
        daemon.proc.send_signal(signal.SIGHUP)
        assert harness.wait_until(lambda: "reload refused" in daemon.log_text()[before:], 10), daemon.log_text()
    finally:
        conf.write_text(good)
    r = daemon.query("inifile", "pool")
    assert r.returncode == 0 and sorted(loads(r)) == list(NAMES), r


def test_sighup_picks_up_a_changed_profile(daemon, setup, farm):
    profiles = setup["dir"] / "profiles.conf"
    good = profiles.read_text()
    try:
        profiles.write_text(f"[pool]\nname=Pool\nhost={farm.host_list(['ts01', 'ts03'])}\ncommand=XFCE\n")
        before = len(daemon.log_text())
        daemon.proc.send_signal(signal.SIGHUP)
        assert harness.wait_until(lambda: "poll cycle:" in daemon.log_text()[before:], 30), daemon.log_text()
        r = daemon.query("inifile", "pool")
        assert r.returncode == 0 and sorted(loads(r)) == ["ts01", "ts03"], r  # ts02 vanished
    finally:
        profiles.write_text(good)
        before = len(daemon.log_text())
        daemon.proc.send_signal(signal.SIGHUP)
        harness.wait_until(lambda: "poll cycle:" in daemon.log_text()[before:], 30)


def test_sigterm_removes_the_socket(setup):
    d = Daemon(setup, "lc-term")
    try:
        assert harness.wait_until(lambda: d.socket.exists() and harness.unix_socket_open(d.socket), 30), d.log_text()
    finally:
        rc = d.stop()
    assert rc == 0, d.log_text()
    assert not d.socket.exists()
