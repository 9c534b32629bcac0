# SPDX-License-Identifier: AGPL-3.0-or-later
"""The broker with agents on a real farm (issue 4; PROTOCOL.md §9, §10): loopback sshds with the
real Debian x2gobroker-agent and x2goserver's session DB (test/farm/farm.py), our broker behind
nginx running as the Debian `x2gobroker` user with the farm's broker key, and the reference
broker on the same farm and profiles as the oracle.

Covered: resume a suspended session, take over a running one, status marking in listings,
load balancing on per-server counts (PostgreSQL session DB), a server that refuses and one that
accepts TCP but never speaks SSH, an unknown host key under RejectPolicy, session autologin with
a generated key and with the client's key (log in with it, then see it gone), the key deletion
surviving a killed broker, `login` for another user, hostile user names and keys (nothing runs on
the servers; the reference runs them), differential answers, and X2Go Client offscreen getting
SERVER: and SESSION_INFO:.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest

import harness

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "farm"))

import farm as farm_mod  # noqa: E402

_MISSING = [m for m in farm_mod.missing_parts() if "openssh-server" in m or "x2gobroker-agent" in m]
pytestmark = pytest.mark.skipif(bool(_MISSING), reason="test farm needs: " + ", ".join(_MISSING))

BROKER_USER = harness.BROKER_SYSTEM_USER
# Short key lifetime so the tests can watch the removal; expiry-time stays on (OpenSSH 9.2).
KEY_LIFETIME = 3


def broker_config(keys: Path, extra: str = "") -> str:
    return f"""[global]
require-password = false
require-cookie = false
default-auth-mech = none
default-agent-query-mode = SSH
default-portscan-x2goservers = true
agent-ssh-directory = {keys}
agent-known-hosts = {keys}/known_hosts
agent-connect-timeout = 3
key-deletion-directory = @RUN_DIR@/key-deletions
autologin-key-lifetime = {KEY_LIFETIME}
{extra}
"""


def profiles(farm, names=None, extra: str = "") -> str:
    hosts = farm.host_list(names)
    # [desk]: X2Go Client only starts a profile from --sessionid by itself when it may use the
    # broker password for the session (usebrokerpass); otherwise it waits for a password dialog.
    return (f"[desk]\nname=Desk\nhost={hosts}\ncommand=XFCE\nusebrokerpass=true\n{extra}\n"
            f"[farm]\nname=Farm\nhost={hosts}\ncommand=XFCE\n{extra}\n"
            f"[single]\nname=Single\nhost={farm.server('ts01').alias}\ncommand=XFCE\n{extra}\n")


def form(**fields) -> str:
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in fields.items())


def plain_select(broker, user: str, sid: str = "farm", **extra) -> harness.Response:
    return broker.post("/plain/inifile/", form(task="selectsession", sid=sid, user=user, password="", authid="",
                                               **extra), timeout=30)


def json_select(broker, user: str, sid: str = "farm", **extra) -> dict:
    r = broker.post("/json/inifile/", form(task="selectsession", sid=sid, user=user, password="", authid="",
                                           **extra), timeout=30)
    assert r.status == 200, r
    return json.loads(r.body)["selected_session"]


def mask_age(line: str | None) -> str | None:
    """Field 13 of a session line is its age in seconds (§9.4): it moves between two answers."""
    if line is None:
        return None
    fields = line.split("|")
    if len(fields) > 12:
        fields[12] = "<age>"
    return "|".join(fields)


def server_line(resp: harness.Response) -> str:
    return next(ln for ln in resp.text.splitlines() if ln.startswith("SERVER:"))


def session_info(resp: harness.Response) -> str | None:
    return next((ln[len("SESSION_INFO:"):] for ln in resp.text.splitlines() if ln.startswith("SESSION_INFO:")), None)


@pytest.fixture(scope="module")
def farm():
    with farm_mod.Farm(3, users=("alice", "bob", "carol", "dave")) as f:
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
    """The reference on the same farm: its key and known_hosts go into its HOME/.ssh."""
    b = harness.ReferenceBroker(broker_config(Path("/nonexistent")).replace("@RUN_DIR@", "/tmp"), profiles(farm))
    ssh = b.home / ".ssh"
    ssh.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(farm.key("rsa").private, ssh / "id_rsa")
    (ssh / "id_rsa").chmod(0o600)
    shutil.copyfile(farm.known_hosts, ssh / "known_hosts")
    yield b
    b.stop()


def fresh_user(farm, tag: str) -> str:
    """A user with no sessions yet (sessions of earlier tests stay in the shared DB)."""
    return farm.user(farm.add_user(f"{tag}{secrets.token_hex(2)}"))


# --- resume and take-over (§10.2) ---------------------------------------------------------------

def test_resumes_the_suspended_session_on_its_server(farm, ours):
    user = fresh_user(farm, "res")
    farm.add_session(user, "ts01", status="R")
    s = farm.add_session(user, "ts03", status="S")
    r = plain_select(ours, user)
    assert r.status == 200, r
    ts03 = farm.server("ts03")
    assert server_line(r) == f"SERVER:{ts03.address}:{ts03.port}", r.text
    info = session_info(r)
    assert info is not None and info.split("|")[1] == s.sid and info.split("|")[3:5] == ["ts03", "S"], r.text
    # the running session on ts01 was left alone
    assert {row[1]: row[4] for row in farm.list_sessions(user)}[s.sid] == "S"
    j = json_select(ours, user)
    assert j["server"] == ts03.address and j["port"] == str(ts03.port)
    assert mask_age(j["session_info"]) == mask_age(info)


def test_takes_over_a_running_session_and_reports_it_suspended(farm, ours):
    user = fresh_user(farm, "run")
    s = farm.add_session(user, "ts02", status="R")
    r = plain_select(ours, user)
    assert r.status == 200, r
    ts02 = farm.server("ts02")
    assert server_line(r) == f"SERVER:{ts02.address}:{ts02.port}", r.text
    info = session_info(r)
    assert info is not None and info.split("|")[1] == s.sid and info.split("|")[4] == "S", r.text
    # the agent really suspended it in the session DB
    assert {row[1]: row[4] for row in farm.list_sessions(user)}[s.sid] == "S"


def test_listing_marks_the_status_and_narrows_the_host(farm, ours):
    user = fresh_user(farm, "lst")
    farm.add_session(user, "ts02", status="S")
    r = ours.post("/plain/inifile/", form(task="listsessions", user=user, password="", authid=""), timeout=30)
    assert r.status == 200, r
    farm_block = r.text.split("[farm]")[1].split("[single]")[0]
    assert "\nstatus=S\n" in farm_block and "\nhost=ts02\n" in farm_block, r.text
    j = json.loads(ours.post("/json/inifile/", form(task="listprofiles", user=user, password="", authid=""),
                             timeout=30).body)
    assert j["profiles"]["farm"]["status"] == "S" and j["profiles"]["farm"]["host"] == ["ts02"]


def test_local_mode_resumes_through_the_local_agent(farm, keys):
    """Query mode LOCAL: the broker host sees the farm's session DB (here: the same SQLite
    file) and runs /usr/lib/x2go/x2gobroker-agent itself, with an argv and no shell; the broker
    runs as x2gobroker, the group the setuid agent admits."""
    user = fresh_user(farm, "loc")
    s = farm.add_session(user, "ts02", status="S")
    config = broker_config(keys).replace("default-agent-query-mode = SSH", "default-agent-query-mode = LOCAL")
    b = harness.OurBroker(config, profiles(farm), run_as=BROKER_USER)
    try:
        r = plain_select(b, user)
        assert r.status == 200, r
        ts02 = farm.server("ts02")
        assert server_line(r) == f"SERVER:{ts02.address}:{ts02.port}", r.text
        assert (session_info(r) or "").split("|")[1] == s.sid, r.text
    finally:
        b.stop()


# --- servers down, hung, unknown (§10.1, §10.2 step 4.7) --------------------------------------

def test_a_refusing_server_is_never_chosen(farm, ours):
    user = fresh_user(farm, "dwn")
    farm.stop_server("ts02")
    try:
        seen = set()
        for _ in range(8):
            r = plain_select(ours, user)
            assert r.status == 200, r
            seen.add(server_line(r))
        assert f"SERVER:{farm.server('ts02').address}:{farm.server('ts02').port}" not in seen
        assert seen <= {f"SERVER:{farm.server(n).address}:{farm.server(n).port}" for n in ("ts01", "ts03")}
    finally:
        farm.start_server("ts02")


def test_a_hung_server_times_out_and_fails_over(farm, ours):
    """SIGSTOPped sshd: the kernel accepts TCP, no SSH banner ever comes."""
    user = fresh_user(farm, "hng")
    farm.pause_server("ts01")
    try:
        for _ in range(4):
            t0 = time.monotonic()
            r = plain_select(ours, user)
            took = time.monotonic() - t0
            assert r.status == 200, r
            assert f"SERVER:{farm.server('ts01').address}:" not in r.text, r.text
            assert took < 8, took  # hedge delay + probe time-out, never the agent time-outs in a row
    finally:
        farm.resume_server("ts01")


def test_unknown_host_key_is_rejected(farm, keys, tmp_path):
    """RejectPolicy (the default) with an empty known_hosts: no agent call succeeds, so the
    suspended session is not found; the single-host profile is still answered (§10.2 step 5)."""
    user = fresh_user(farm, "hk")
    farm.add_session(user, "ts01", status="S")
    empty = farm.install_for(BROKER_USER, farm.dir / f"keys-empty-{secrets.token_hex(2)}")
    (empty / "known_hosts").write_text("")
    b = harness.OurBroker(broker_config(empty), profiles(farm), run_as=BROKER_USER)
    try:
        r = plain_select(b, user, sid="single")
        assert r.status == 200, r
        assert session_info(r) is None, r.text
        assert b.wait_for_log("host key"), b.log_text()[-2000:]
    finally:
        b.stop()


# --- session autologin (§10.4) -------------------------------------------------------------------

def authorized_keys_of(farm, user: str) -> str:
    import pwd
    path = Path(pwd.getpwnam(farm.user(user)).pw_dir) / ".x2go" / "authorized_keys"
    return path.read_text() if path.exists() else ""


def test_autologin_with_a_generated_key(farm, keys, tmp_path):
    user = fresh_user(farm, "al")
    b = harness.OurBroker(broker_config(keys, "default-session-autologin = true"), profiles(farm), run_as=BROKER_USER)
    try:
        r = plain_select(b, user, sid="single")
        assert r.status == 200, r
        text = r.text
        assert "-----BEGIN RSA PRIVATE KEY-----\n" in text and "-----END RSA PRIVATE KEY-----\n" in text, text
        pem = text[text.index("-----BEGIN"):text.index("-----END RSA PRIVATE KEY-----\n") + 30]
        key = tmp_path / "id"
        key.write_text(pem)
        key.chmod(0o600)
        assert "no-X11-forwarding,no-pty,no-user-rc" in authorized_keys_of(farm, user)
        assert 'expiry-time="' in authorized_keys_of(farm, user)
        login = farm.ssh_user("ts01", user, key)
        assert login.rc == 0 and login.stdout.strip() == user, login
        # removed by the deletion queue after the lifetime
        assert harness.wait_until(lambda: "ssh-rsa" not in authorized_keys_of(farm, user), KEY_LIFETIME + 10)
        assert farm.ssh_user("ts01", user, key).rc != 0
        assert "PRIVATE KEY" not in b.log_text()
    finally:
        b.stop()


def test_autologin_with_the_clients_key(farm, keys, tmp_path):
    user = fresh_user(farm, "ak")
    key = tmp_path / "client"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    pub = Path(str(key) + ".pub").read_text().strip()
    b = harness.OurBroker(broker_config(keys, "default-session-autologin = true"), profiles(farm), run_as=BROKER_USER)
    try:
        # client options are replaced by ours
        j = json_select(b, user, sid="single", pubkey=f'command="/bin/sh",permitopen="*:*" {pub}')
        assert j["authentication_pubkey"] == "ACCEPTED", j
        assert "key" not in j
        installed = authorized_keys_of(farm, user)
        assert "command=" not in installed and pub.split()[1] in installed, installed
        assert farm.ssh_user("ts01", user, key).rc == 0
        assert harness.wait_until(lambda: pub.split()[1] not in authorized_keys_of(farm, user), KEY_LIFETIME + 10)
        assert farm.ssh_user("ts01", user, key).rc != 0
    finally:
        b.stop()


def test_key_deletion_survives_a_killed_broker(farm, keys):
    user = fresh_user(farm, "kd")
    config = broker_config(keys, "default-session-autologin = true").replace("autologin-key-lifetime = 3",
                                                                            "autologin-key-lifetime = 6")
    b = harness.OurBroker(config, profiles(farm), run_as=BROKER_USER)
    queue = b.run_dir / "key-deletions"
    try:
        r = plain_select(b, user, sid="single")
        assert "BEGIN RSA PRIVATE KEY" in r.text
        os.kill(b.pid, 9)
        b.proc.wait(timeout=10)
        assert "ssh-rsa" in authorized_keys_of(farm, user)
        assert list(queue.glob("*.pending")), list(queue.iterdir())
        # a new broker on the same queue (e.g. spawn-fcgi restarted by systemd) removes the key
        b2 = harness.OurBroker(config.replace("@RUN_DIR@/key-deletions", str(queue)), profiles(farm),
                               run_as=BROKER_USER)
        try:
            assert harness.wait_until(lambda: "ssh-rsa" not in authorized_keys_of(farm, user), 20)
            assert harness.wait_until(lambda: not list(queue.glob("*.pending")), 5)
        finally:
            b2.stop()
    finally:
        b.stop()


# --- whose sessions, hostile input (§10.5, §9.5, §13 rows 3-5) -----------------------------------

def test_login_for_another_user_is_refused(farm, ours):
    victim = fresh_user(farm, "vic")
    farm.add_session(victim, "ts02", status="S")
    r = plain_select(ours, farm.user("alice"), login=victim)
    assert r.status == 403, r
    assert victim not in r.text


HOSTILE_USERS = ["bob$(touch${IFS}/tmp/x2gobroker-it-pwned-{tag})", "bob;touch /tmp/x2gobroker-it-pwned-{tag}",
                 "../../etc/passwd", "Bob\u00e9", "a'b"]


@pytest.mark.parametrize("template", HOSTILE_USERS)
def test_hostile_user_names_run_nothing(farm, ours, template):
    tag = secrets.token_hex(4)
    user = template.replace("{tag}", tag)
    offset = ours.log_size()
    r = plain_select(ours, user)
    assert r.status == 400, r
    assert not list(Path("/tmp").glob(f"x2gobroker-it-pwned-{tag}*"))
    assert "Access granted" not in r.text


def test_hostile_client_key_runs_nothing(farm, keys):
    tag = secrets.token_hex(4)
    user = fresh_user(farm, "hk")
    b = harness.OurBroker(broker_config(keys, "default-session-autologin = true"), profiles(farm), run_as=BROKER_USER)
    try:
        j = json_select(b, user, sid="single", pubkey=f'ssh-rsa AAAA"$(touch /tmp/x2gobroker-it-pwned-{tag})" x')
        assert "authentication_pubkey" not in j, j
        assert j["server"] == farm.server("ts01").address
        assert not list(Path("/tmp").glob(f"x2gobroker-it-pwned-{tag}*"))
        assert authorized_keys_of(farm, user) == ""
    finally:
        b.stop()


def test_reference_executes_a_hostile_user_name(farm, reference):
    """PROTOCOL §9.5 / §13 row 4: the reference splices `user` into the agent's command line;
    this pins the bug our broker must not have (test_hostile_user_names_run_nothing)."""
    tag = secrets.token_hex(4)
    marker = Path(f"/tmp/x2gobroker-it-pwned-{tag}")
    try:
        reference.post("/plain/inifile/", form(task="selectsession", sid="single",
                                               user=f"bob$(touch${{IFS}}{marker})", password="", authid=""),
                       timeout=60)
        assert harness.wait_until(marker.exists, 10), "the reference did not run the injected command"
    finally:
        marker.unlink(missing_ok=True)


# --- differential: the same farm, the same answers --------------------------------------------

def test_resume_answer_matches_the_reference(farm, ours, reference):
    user = fresh_user(farm, "dif")
    farm.add_session(user, "ts02", status="S")
    mine = plain_select(ours, user)
    theirs = plain_select(reference, user)
    assert mine.status == theirs.status == 200
    assert server_line(mine) == server_line(theirs)
    assert mask_age(session_info(mine)) == mask_age(session_info(theirs)), (mine.text, theirs.text)
    assert [ln for ln in mine.text.splitlines() if not ln.startswith("SESSION_INFO:")] == \
        [ln for ln in theirs.text.splitlines() if not ln.startswith("SESSION_INFO:")]
    mine_j = json_select(ours, user)
    theirs_j = json_select(reference, user)
    for j in (mine_j, theirs_j):
        j["session_info"] = mask_age(j["session_info"])
    assert mine_j == theirs_j


# --- X2Go Client offscreen (§14.4) -------------------------------------------------------------

@pytest.mark.skipif(not Path("/usr/bin/x2goclient").exists(), reason="x2goclient not installed")
def test_x2goclient_gets_server_and_session_info(farm, ours):
    user = fresh_user(farm, "xc")
    s = farm.add_session(user, "ts03", status="S")
    home = Path(tempfile.mkdtemp(prefix="x2gobroker-it-client-"))
    try:
        log = harness.run_x2goclient(
            ["--debug", "--no-menu", f"--broker-url={ours.url('/plain/inifile/', user=user)}", "--broker-noauth",
             "--sessionid=desk"], home, home / "xc.log", ["Server port:"], timeout=40)
        ts03 = farm.server("ts03")
        assert f'Server IP address: "{ts03.address}"' in log, log[-3000:]
        assert f'Server port: "{ts03.port}"' in log, log[-3000:]
        assert s.sid in log, log[-3000:]  # the SESSION_INFO line, parsed by the client
    finally:
        shutil.rmtree(home, ignore_errors=True)


# --- load balancing on per-server counts (PostgreSQL session DB, §10.3) ------------------------

class TestLoadBalancing:
    @pytest.fixture(scope="class")
    def pgfarm(self, farm, ours, reference):
        # A pgsql farm swaps machine-wide x2goserver configuration and may not run alongside
        # the SQLite one: stop the module's brokers' farm use first by ordering (this class
        # runs last in the module) and give it its own farm.
        farm.stop()
        with farm_mod.Farm(3, users=("erin", "frank", "gina"), session_db="pgsql") as f:
            yield f

    @pytest.fixture(scope="class")
    def brokers(self, pgfarm):
        keys = pgfarm.install_for(BROKER_USER)
        mine = harness.OurBroker(broker_config(keys), profiles(pgfarm), run_as=BROKER_USER)
        ref = harness.ReferenceBroker(broker_config(Path("/nonexistent")).replace("@RUN_DIR@", "/tmp"),
                                      profiles(pgfarm))
        ssh = ref.home / ".ssh"
        ssh.mkdir(mode=0o700, exist_ok=True)
        shutil.copyfile(pgfarm.key("rsa").private, ssh / "id_rsa")
        (ssh / "id_rsa").chmod(0o600)
        shutil.copyfile(pgfarm.known_hosts, ssh / "known_hosts")
        yield mine, ref
        mine.stop()
        ref.stop()

    def test_least_busy_server_wins_like_the_reference(self, pgfarm, brokers):
        mine, ref = brokers
        # ts01: 2 sessions, ts02: 1, ts03: 0 (of other users)
        pgfarm.add_session("erin", "ts01", status="R")
        pgfarm.add_session("frank", "ts01", status="S")
        pgfarm.add_session("erin", "ts02", status="R")
        user = pgfarm.user("gina")
        ts03 = pgfarm.server("ts03")
        for _ in range(3):
            r = plain_select(mine, user)
            assert server_line(r) == f"SERVER:{ts03.address}:{ts03.port}", r.text
        theirs = plain_select(ref, user)
        assert server_line(theirs) == server_line(r), theirs.text
        # one more session on ts03 → ts02 and ts03 tie at 1: ties go by name
        pgfarm.add_session("frank", "ts03", status="R")
        ts02 = pgfarm.server("ts02")
        r = plain_select(mine, user)
        assert server_line(r) == f"SERVER:{ts02.address}:{ts02.port}", r.text
        assert server_line(plain_select(ref, user)) == server_line(r)

    def test_broker_uses_the_load_checker_and_degrades_without_it(self, pgfarm, brokers, tmp_path):
        """default-use-load-checker: with the daemon down the broker logs it and balances by
        counts; with x2gobroker-loadchecker running (as the broker's user: it admits only its
        own uid) the broker asks it and stops complaining. All servers are one machine, so the
        load factors are nearly equal: the fewest sessions still win, but between two servers
        with equal counts the (slightly different) factors decide."""
        import pwd
        keys = pgfarm.install_for(BROKER_USER, pgfarm.dir / "keys-lc")
        run = pgfarm.dir / "lc"
        run.mkdir(mode=0o755)
        pw = pwd.getpwnam(BROKER_USER)
        os.chown(run, pw.pw_uid, pw.pw_gid)
        socket = run / "lc.sock"
        config = broker_config(keys, "default-use-load-checker = true")
        mine = harness.OurBroker(config, profiles(pgfarm), run_as=BROKER_USER,
                                 env={"X2GOBROKER_LOADCHECKER_SOCKET": str(socket)})
        daemon = None
        try:
            ts03 = pgfarm.server("ts03")
            user = pgfarm.user("gina")
            expected = server_line(plain_select(mine, user))
            assert mine.wait_for_log("load checker unavailable"), mine.log_text()[-2000:]
            conf = run / "x2gobroker.conf"
            conf.write_text(harness.with_session_profiles(config.replace("@RUN_DIR@", str(run)),
                                                          mine.profiles_path))
            binary = run / "x2gobroker-loadchecker"
            shutil.copy2(harness.BIN_DIR / "x2gobroker-loadchecker", binary)
            daemon = subprocess.Popen(
                ["runuser", "-u", BROKER_USER, "--", str(binary), "-C", str(conf), "--socket", str(socket)],
                stdout=open(run / "lc.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True)
            query = ["runuser", "-u", BROKER_USER, "--", str(binary), "--socket", str(socket),
                     "--query", "inifile", "farm"]
            assert harness.wait_until(
                lambda: subprocess.run(query, capture_output=True, text=True).stdout.count(":") == 3 and
                "LOAD-UNAVAILABLE" not in subprocess.run(query, capture_output=True, text=True).stdout, 30)
            counts = {name: 0 for name in ("ts01", "ts02", "ts03")}
            for row in pgfarm.pg.sql("select server from sessions where status <> 'F'"):
                counts[row[0]] = counts.get(row[0], 0) + 1
            least = min(counts.values())
            allowed = {f"SERVER:{pgfarm.server(n).address}:{pgfarm.server(n).port}"
                       for n, c in counts.items() if c == least}
            assert expected in allowed, (expected, counts)
            offset = mine.log_size()
            for _ in range(3):
                assert server_line(plain_select(mine, user)) in allowed, counts
            assert "load checker unavailable" not in mine.log_since(offset), mine.log_since(offset)
        finally:
            if daemon is not None:
                harness._kill_group(daemon)
            mine.stop()
