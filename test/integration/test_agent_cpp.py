# SPDX-License-Identifier: AGPL-3.0-or-later
"""Our C++ x2gobroker-agent (issue #6, items 4 and 5) on the real farm (test/farm/farm.py with
`agent=`): the servers' forced command runs a setuid-root copy of $X2GOBROKER_BIN_DIR/
x2gobroker-agent (or $X2GOBROKER_AGENT) instead of Debian's agent; brokers still send
`/usr/lib/x2go/x2gobroker-agent ...`.

(a) our broker against our agent: resume (SESSION_INFO), take-over (the DB shows S), session
    autologin with a generated key (log in with it, then it is removed), load balancing on a
    PostgreSQL farm (least busy server);
(b) the reference broker, unchanged, against our agent: resume and load-balance answers equal to
    ours and to the reference's against the Debian agent (session age masked);
(c) injection (PROTOCOL.md §9.2, §9.5, §13 row 4): the tricks that give root with the Debian
    agent (`id>F;/usr/lib/x2go/x2gobroker-agent ...`, `$(...)` in the reference's `sh -c` form
    in the user name and in a quoted argument, the reference broker's hostile user name) create
    no file with ours and get an `ERROR` line; with the Debian agent (same farm, switched) the
    file IS created (pins the old agent's bug);
(d) `OK` only after success: suspendsession of someone else's / a malformed session id is
    `ERROR` + non-zero exit with ours, `OK` with Debian's.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
from pathlib import Path

import pytest

import harness
from test_farm_broker import (BROKER_USER, KEY_LIFETIME, broker_config, form, json_select, mask_age,
                              plain_select, profiles, server_line, session_info)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "farm"))

import farm as farm_mod  # noqa: E402

OUR_AGENT = Path(os.environ.get("X2GOBROKER_AGENT", str(harness.BIN_DIR / "x2gobroker-agent")))
DEBIAN = None  # farm.set_agent(DEBIAN): the Debian agent

_MISSING = [m for m in farm_mod.missing_parts() if "openssh-server" in m or "x2gobroker-agent" in m]
pytestmark = [
    pytest.mark.skipif(bool(_MISSING), reason="test farm needs: " + ", ".join(_MISSING)),
    pytest.mark.skipif(not OUR_AGENT.is_file(),
                       reason=f"our agent {OUR_AGENT} is not built (X2GOBROKER_BIN_DIR / X2GOBROKER_AGENT)"),
]


def start_reference(farm) -> harness.ReferenceBroker:
    """The reference on the farm: its key and known_hosts go into its HOME/.ssh (as in
    test_farm_broker)."""
    b = harness.ReferenceBroker(broker_config(Path("/nonexistent")).replace("@RUN_DIR@", "/tmp"), profiles(farm))
    ssh = b.home / ".ssh"
    ssh.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(farm.key("rsa").private, ssh / "id_rsa")
    (ssh / "id_rsa").chmod(0o600)
    shutil.copyfile(farm.known_hosts, ssh / "known_hosts")
    return b


@contextlib.contextmanager
def agent(farm, which):
    """Run the block with the farm's forced command on `which` (DEBIAN or a path), then back."""
    before = farm.agent_path
    farm.set_agent(which)
    try:
        yield
    finally:
        farm.set_agent(None if before == farm_mod.AGENT else before)


def fresh_user(farm, tag: str) -> str:
    return farm.user(farm.add_user(f"{tag}{secrets.token_hex(2)}"))


def authorized_keys_of(farm, user: str) -> str:
    import pwd
    path = Path(pwd.getpwnam(farm.user(user)).pw_dir) / ".x2go" / "authorized_keys"
    return path.read_text() if path.exists() else ""


def assert_error(r: farm_mod.AgentResult) -> None:
    """Our agent's refusal: exactly one stdout line `ERROR <code> <text>`, non-zero exit."""
    assert r.stdout.startswith("ERROR "), r
    assert r.stdout.rstrip("\n").count("\n") == 0, r
    assert r.rc != 0, r


@pytest.fixture(scope="module")
def farm():
    with farm_mod.Farm(3, users=("alice", "bob"), agent=OUR_AGENT) as f:
        yield f


@pytest.fixture(scope="module")
def keys(farm):
    return farm.install_for(BROKER_USER)


@pytest.fixture(scope="module")
def ours(farm, keys):
    b = harness.OurBroker(broker_config(keys), profiles(farm), run_as=BROKER_USER)
    yield b
    b.stop()


@pytest.fixture(scope="module")
def reference(farm):
    b = start_reference(farm)
    yield b
    b.stop()


def test_farm_runs_our_agent_setuid(farm):
    st = os.stat(farm.agent_path)
    assert farm.agent_path != farm_mod.AGENT and st.st_mode & 0o7777 == 0o4750 and st.st_uid == 0
    assert f'command="{farm.agent_path}",' in farm.server("ts01").authorized_keys.read_text()
    r = farm.run_agent("ts01", "foo", "ping")
    assert r.stdout == "OK\n" and r.rc == 0 and r.ok, r


# --- (a) our broker, our agent ---------------------------------------------------------------

def test_ours_resumes_the_suspended_session(farm, ours):
    user = fresh_user(farm, "res")
    farm.add_session(user, "ts01", status="R")
    s = farm.add_session(user, "ts03", status="S")
    r = plain_select(ours, user)
    assert r.status == 200, r
    ts03 = farm.server("ts03")
    assert server_line(r) == f"SERVER:{ts03.address}:{ts03.port}", r.text
    info = session_info(r)
    assert info is not None and info.split("|")[1] == s.sid and info.split("|")[3:5] == ["ts03", "S"], r.text
    j = json_select(ours, user)
    assert j["server"] == ts03.address and j["port"] == str(ts03.port)
    assert mask_age(j["session_info"]) == mask_age(info)


def test_ours_takes_over_a_running_session(farm, ours):
    user = fresh_user(farm, "run")
    s = farm.add_session(user, "ts02", status="R")
    r = plain_select(ours, user)
    assert r.status == 200, r
    ts02 = farm.server("ts02")
    assert server_line(r) == f"SERVER:{ts02.address}:{ts02.port}", r.text
    info = session_info(r)
    assert info is not None and info.split("|")[1] == s.sid and info.split("|")[4] == "S", r.text
    assert {row[1]: row[4] for row in farm.list_sessions(user)}[s.sid] == "S"


def test_ours_autologin_with_a_generated_key(farm, keys, tmp_path):
    user = fresh_user(farm, "al")
    b = harness.OurBroker(broker_config(keys, "default-session-autologin = true"), profiles(farm), run_as=BROKER_USER)
    try:
        r = plain_select(b, user, sid="single")
        assert r.status == 200, r
        text = r.text
        assert "-----BEGIN RSA PRIVATE KEY-----\n" in text, text
        pem = text[text.index("-----BEGIN"):text.index("-----END RSA PRIVATE KEY-----\n") + 30]
        key = tmp_path / "id"
        key.write_text(pem)
        key.chmod(0o600)
        installed = authorized_keys_of(farm, user)
        assert "no-X11-forwarding,no-pty,no-user-rc" in installed and 'expiry-time="' in installed, installed
        login = farm.ssh_user("ts01", user, key)
        assert login.rc == 0 and login.stdout.strip() == user, login
        assert harness.wait_until(lambda: "ssh-rsa" not in authorized_keys_of(farm, user), KEY_LIFETIME + 10)
        assert farm.ssh_user("ts01", user, key).rc != 0
    finally:
        b.stop()


# --- (b) the reference broker, unchanged, against our agent ----------------------------------

def test_reference_resume_on_our_agent_equals_ours_and_debian(farm, ours, reference):
    user = fresh_user(farm, "dif")
    farm.add_session(user, "ts02", status="S")
    theirs = plain_select(reference, user)
    mine = plain_select(ours, user)
    assert theirs.status == mine.status == 200, theirs
    assert session_info(theirs) is not None, theirs.text
    assert server_line(theirs) == server_line(mine)
    assert mask_age(session_info(theirs)) == mask_age(session_info(mine)), (theirs.text, mine.text)
    theirs_j = json_select(reference, user)
    with agent(farm, DEBIAN):
        debian = plain_select(reference, user)
        debian_j = json_select(reference, user)
    assert server_line(debian) == server_line(theirs), (debian.text, theirs.text)
    assert mask_age(session_info(debian)) == mask_age(session_info(theirs)), (debian.text, theirs.text)
    assert [ln for ln in debian.text.splitlines() if not ln.startswith("SESSION_INFO:")] == \
        [ln for ln in theirs.text.splitlines() if not ln.startswith("SESSION_INFO:")]
    for j in (theirs_j, debian_j):
        j["session_info"] = mask_age(j["session_info"])
    assert theirs_j == debian_j


# --- (c) injection: nothing runs with ours, root shell with Debian's --------------------------

def _marker() -> Path:
    return Path(f"/tmp/x2gobroker-it-pwned-{secrets.token_hex(4)}")


INJECTIONS = {
    # §9.2: whatever precedes the agent path runs (cut at the first `;`)
    "semicolon": lambda m, u: f"id > {m};/usr/lib/x2go/x2gobroker-agent foo ping",
    # the reference's sh -c form, command substitution in the user name
    "sh-c-user": lambda m, u: f"sh -c '/usr/lib/x2go/x2gobroker-agent {u}$(touch {m}) listsessions'",
    # ... and inside a double-quoted argument
    "sh-c-quoted-arg": lambda m, u: f"sh -c '/usr/lib/x2go/x2gobroker-agent {u} suspendsession \"$(touch {m})\"'",
}


@pytest.mark.parametrize("trick", sorted(INJECTIONS))
def test_injection_runs_nothing_with_ours_and_runs_with_debian(farm, trick):
    user = farm.user("alice")
    m = _marker()
    try:
        r = farm.ssh("ts01", INJECTIONS[trick](m, user))
        assert_error(r)
        assert not m.exists(), f"our agent ran the injected command: {r}"
        m2 = _marker()
        try:
            with agent(farm, DEBIAN):
                farm.ssh("ts01", INJECTIONS[trick](m2, user))
            assert m2.exists(), "the Debian agent did not run the injected command (§9.2 pin)"
        finally:
            m2.unlink(missing_ok=True)
    finally:
        m.unlink(missing_ok=True)


def test_reference_hostile_user_runs_nothing_with_ours(farm, reference):
    """PROTOCOL §9.5 / §13 row 4 through the unchanged reference broker: with our agent the
    spliced `$(...)` is refused; with Debian's it runs (test_reference_executes_a_hostile_user_name)."""
    m = _marker()
    try:
        reference.post("/plain/inifile/", form(task="selectsession", sid="single",
                                               user=f"bob$(touch${{IFS}}{m})", password="", authid=""), timeout=60)
        assert not harness.wait_until(m.exists, 3), "our agent ran the reference's injected user name"
        with agent(farm, DEBIAN):
            reference.post("/plain/inifile/", form(task="selectsession", sid="single",
                                                   user=f"bob$(touch${{IFS}}{m})", password="", authid=""),
                           timeout=60)
            assert harness.wait_until(m.exists, 10), "the reference + Debian agent did not run it (pin)"
    finally:
        m.unlink(missing_ok=True)


# --- (d) OK only after success --------------------------------------------------------------

def test_suspend_of_someone_elses_session_is_an_error(farm):
    victim = fresh_user(farm, "vic")
    s = farm.add_session(victim, "ts02", status="R")
    r = farm.run_agent("ts02", "bob", "suspendsession", s.sid)
    assert_error(r)
    assert {row[1]: row[4] for row in farm.list_sessions(victim)}[s.sid] == "R"
    with agent(farm, DEBIAN):
        d = farm.run_agent("ts02", "bob", "suspendsession", s.sid)
    assert d.stdout.split("\n")[0] == "OK" and d.rc == 0, d  # the old agent's silent no-op
    assert {row[1]: row[4] for row in farm.list_sessions(victim)}[s.sid] == "R"


def test_suspend_of_a_malformed_session_id_is_an_error(farm):
    r = farm.run_agent("ts02", "bob", "suspendsession", "not-a-session")
    assert_error(r)
    with agent(farm, DEBIAN):
        d = farm.run_agent("ts02", "bob", "suspendsession", "not-a-session")
    assert d.stdout.split("\n")[0] == "OK" and d.rc == 0, d


def test_own_suspend_is_ok_and_done(farm):
    user = fresh_user(farm, "own")
    s = farm.add_session(user, "ts01", status="R")
    r = farm.run_agent("ts01", user, "suspendsession", s.sid)
    assert r.stdout.split("\n")[0] == "OK" and r.rc == 0, r
    assert {row[1]: row[4] for row in farm.list_sessions(user)}[s.sid] == "S"


# --- load balancing on per-server counts (PostgreSQL session DB), both brokers ------------------

class TestLoadBalancing:
    @pytest.fixture(scope="class")
    def pgfarm(self, farm, ours, reference):
        farm.stop()  # a pgsql farm may not run beside the SQLite one (runs last in the module)
        with farm_mod.Farm(3, users=("erin", "frank", "gina"), session_db="pgsql", agent=OUR_AGENT) as f:
            yield f

    @pytest.fixture(scope="class")
    def brokers(self, pgfarm):
        keys = pgfarm.install_for(BROKER_USER)
        mine = harness.OurBroker(broker_config(keys), profiles(pgfarm), run_as=BROKER_USER)
        ref = start_reference(pgfarm)
        yield mine, ref
        mine.stop()
        ref.stop()

    def test_least_busy_server_wins_with_both_brokers(self, pgfarm, brokers):
        mine, ref = brokers
        pgfarm.add_session("erin", "ts01", status="R")
        pgfarm.add_session("frank", "ts01", status="S")
        pgfarm.add_session("erin", "ts02", status="R")
        user = pgfarm.user("gina")
        ts03 = pgfarm.server("ts03")
        for _ in range(3):
            r = plain_select(mine, user)
            assert server_line(r) == f"SERVER:{ts03.address}:{ts03.port}", r.text
        theirs = plain_select(ref, user)
        assert server_line(theirs) == server_line(r), (theirs.text, r.text)
        with agent(pgfarm, DEBIAN):
            debian = plain_select(ref, user)
        assert debian.text == theirs.text, (debian.text, theirs.text)
        # ts02 and ts03 tie at 1: ties go by name
        pgfarm.add_session("frank", "ts03", status="R")
        ts02 = pgfarm.server("ts02")
        r = plain_select(mine, user)
        assert server_line(r) == f"SERVER:{ts02.address}:{ts02.port}", r.text
        assert server_line(plain_select(ref, user)) == server_line(r)

    def test_resume_on_pgsql_both_brokers(self, pgfarm, brokers):
        mine, ref = brokers
        user = fresh_user(pgfarm, "pr")
        s = pgfarm.add_session(user, "ts02", status="S")
        mine_r, ref_r = plain_select(mine, user), plain_select(ref, user)
        assert (session_info(mine_r) or "").split("|")[1:2] == [s.sid], mine_r.text
        assert server_line(mine_r) == server_line(ref_r)
        assert mask_age(session_info(mine_r)) == mask_age(session_info(ref_r))
        with agent(pgfarm, DEBIAN):
            deb = plain_select(ref, user)
        assert mask_age(session_info(deb)) == mask_age(session_info(ref_r)), (deb.text, ref_r.text)
