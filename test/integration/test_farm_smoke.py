# SPDX-License-Identifier: AGPL-3.0-or-later
"""Smoke test of the test farm (test/farm/farm.py): real sshds on loopback, the real Debian
x2gobroker-agent behind the forced command, sessions seeded with x2goserver's own helpers.
No broker of ours is involved yet; this checks the ground the agent tests of issue 4 stand on."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "farm"))

import farm as farm_mod  # noqa: E402

# Skipped only when sshd or the Debian agent is not installed; anything else missing (sudo,
# x2goserver, root) makes the farm fail to start with the list, since install-deps provides it.
_MISSING = [m for m in farm_mod.missing_parts()
            if "openssh-server" in m or "x2gobroker-agent" in m]
pytestmark = pytest.mark.skipif(
    bool(_MISSING), reason="test farm needs: " + ", ".join(_MISSING)
    + " (scripts/install-deps installs them)")


class TestSqliteFarm:
    """One 2-server farm on x2goserver's default SQLite session DB for the class."""

    @pytest.fixture(scope="class")
    def farm(self):
        with farm_mod.Farm(2, users=("alice", "bob")) as f:
            yield f

    def test_ping_on_every_server(self, farm):
        for name in ("ts01", "ts02"):
            r = farm.run_agent(name, "alice", "ping")
            assert r.stdout == "OK\n", r
            assert r.stderr == "" and r.rc == 0, r
            assert r.ok

    def test_ed25519_broker_key_works_too(self, farm):
        r = farm.run_agent("ts02", "foo", "ping", key="ed25519")
        assert r.ok, r

    def test_listsessions_shows_seeded_sessions(self, farm):
        alice = farm.user("alice")
        s = farm.add_session("alice", "ts02", status="S")
        r_sess = farm.add_session("alice", "ts01", status="R")
        for name in ("ts01", "ts02"):  # one DB: every server sees the whole farm's sessions
            r = farm.run_agent(name, "alice", "listsessions")
            assert r.ok, r
            by_sid = {ln.split("|")[1]: ln.split("|") for ln in r.lines}
            assert s.sid in by_sid, r
            f = by_sid[s.sid]
            assert f[3] == "ts02" and f[4] == "S", f      # PROTOCOL 9.4: server, status
            assert f[11] == alice and f[6] == s.cookie, f
            assert by_sid[r_sess.sid][3] == "ts01" and by_sid[r_sess.sid][4] == "R"
        # bob sees none of alice's
        r = farm.run_agent("ts01", "bob", "listsessions")
        assert r.stdout == "OK\n" and r.stderr == "", r

    def test_suspendsession_flips_status(self, farm):
        s = farm.add_session("bob", "ts01", status="R")
        r = farm.run_agent("ts01", "bob", "suspendsession", s.sid)
        assert r.ok, r
        status = {f[1]: f[4] for f in farm.list_sessions("bob")}
        assert status[s.sid] == "S"

    def test_command_outside_forced_grammar_is_refused(self, farm):
        r = farm.ssh("ts01", "id")
        assert r.rc == 255, r
        assert r.stdout == "", r
        assert "Died at" in r.stderr, r

    def test_unknown_user_and_system_user(self, farm):
        r = farm.run_agent("ts01", "nosuchuser-farm", "listsessions")
        assert not r.ok and "no such user on system" in r.stderr, r
        r = farm.run_agent("ts01", "root", "listsessions")
        assert not r.ok and "operation on system user" in r.stderr, r

    def test_unauthorized_key_and_unknown_host_key(self, farm):
        farm.authorize_keys("ts02", ["rsa"])
        try:
            r = farm.run_agent("ts02", "alice", "ping", key="ed25519")
            assert r.rc == 255 and "Permission denied" in r.stderr, r
        finally:
            farm.authorize_keys("ts02", ["rsa", "ed25519"])
        # ts01's port with ts02's host key in known_hosts → host key mismatch, nothing runs
        good = farm.known_hosts.read_text()
        s1, s2 = farm.server("ts01"), farm.server("ts02")
        try:
            farm.known_hosts.write_text(f"[{s1.address}]:{s1.port} {s2.host_key_pub}\n")
            r = farm.run_agent("ts01", "alice", "ping")
            assert r.rc == 255 and r.stdout == "", r
            assert "host key" in r.stderr.lower(), r
        finally:
            farm.known_hosts.write_text(good)

    def test_server_down_and_back(self, farm):
        farm.stop_server("ts02")
        try:
            r = farm.run_agent("ts02", "alice", "ping")
            assert r.rc == 255 and "refused" in r.stderr.lower(), r
        finally:
            farm.start_server("ts02")
        assert farm.run_agent("ts02", "alice", "ping").ok

    def test_hanging_server_times_out(self, farm):
        farm.pause_server("ts01")  # TCP accepted by the kernel, no SSH banner
        try:
            r = farm.run_agent("ts01", "alice", "ping", connect_timeout=1)
            assert r.rc == 255 and "timed out" in r.stderr.lower(), r
        finally:
            farm.resume_server("ts01")
        assert farm.run_agent("ts01", "alice", "ping").ok

    def test_autologin_key_round_trip(self, farm):
        """addauthkey / delauthkey through the agent, checked by logging in as the user."""
        kdir = farm.dir / "client-key"
        kdir.mkdir(exist_ok=True)
        farm_mod._run([farm_mod.SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", str(kdir / "k")])
        ktype, blob = (kdir / "k.pub").read_text().split()[:2]
        line = f"no-X11-forwarding,no-pty,no-user-rc {ktype} {blob} alice@127.0.0.1"
        akfile = "%h/.x2go/authorized_keys"
        assert farm.ssh_user("ts02", "alice", kdir / "k").rc == 255
        assert farm.run_agent("ts02", "alice", "addauthkey", line, akfile).ok
        r = farm.ssh_user("ts02", "alice", kdir / "k")
        assert r.rc == 0 and r.stdout.strip() == farm.user("alice"), r
        assert farm.run_agent("ts02", "alice", "delauthkey", line, akfile).ok
        r = farm.ssh_user("ts02", "alice", kdir / "k")
        assert r.rc == 255 and "Permission denied" in r.stderr, r


# After the class: its farm is stopped, a pgsql farm must run alone.
@pytest.mark.skipif(not (farm_mod.PG_BIN / "initdb").exists(), reason="postgresql-15 missing")
def test_pgsql_session_db_counts_per_server():
    """x2goserver's PostgreSQL backend (private cluster): per-server counts work, which the
    SQLite backend cannot give (PROTOCOL 9.3)."""
    with farm_mod.Farm(2, users=("carol", "dave"), session_db="pgsql") as f:
        f.add_session("carol", "ts01", status="S")
        f.add_session("dave", "ts02", status="R")
        f.add_session("dave", "ts02", status="S")
        r = f.run_agent("ts01", "carol", "getservers")
        assert r.ok, r
        assert sorted(r.lines) == ["ts01 1", "ts02 2"], r
        r = f.run_agent("ts02", "carol", "findbusyservers")
        assert r.ok and r.lines == ["33:ts01", "66:ts02"], r
        r = f.run_agent("ts02", "carol", "listsessions")
        assert r.ok and len(r.lines) == 1 and r.lines[0].split("|")[3:5] == ["ts01", "S"], r
    assert "backend=sqlite" in farm_mod.SQL_CONF.read_text()  # configuration restored
