# SPDX-License-Identifier: AGPL-3.0-or-later
"""The `pam` mechanism end to end (PROTOCOL.md §4.4, §11.1, §13 rows 19-20; issue 3 items 1, 2,
6, 7): real Linux users (useradd + chpasswd, removed afterwards), real PAM (/etc/pam.d/x2gobroker,
installed from config/pam.d/ if missing) in x2gobroker-authservice running as root on a
temporary socket, our broker behind nginx with its workers running as the unprivileged
`x2gobroker` user, and the broker finding the service through X2GOBROKER_AUTHSERVICE_SOCKET.

Needs root (useradd, the service, spawn-fcgi -u). Failed logins take the service's 2 s failure
delay, so the module runs for a minute or two.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import os
import pwd
import grp
import re
import signal
import stat
import subprocess
import time
import urllib.parse

import pytest

import harness

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root: useradd, x2gobroker-authservice, spawn-fcgi -u")

PROFILES = "profiles-basic.conf"
PLAIN = "/plain/inifile/"
JSON = "/json/inifile/"
AUTHID_RE = re.compile(rb"AUTHID:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n")
FALLBACK_NOTICE = "the auth service is not reachable"

CONFIG = """\
[global]
require-password = true
require-cookie = false
default-auth-mech = pam
default-agent-query-mode = NONE
default-portscan-x2goservers = false
cookie-directory = @RUN_DIR@/cookies
"""

# Passwords a form, a shell or a line protocol could trip over: every one must work verbatim.
PASSWORDS = [
    "Corr3ct-horse",
    "sp ace&amp=%41+plus;semi:colon'quote\"dq\\back",
    "caf\u00e9-\u20ac-\u00fc\u00df",
    "short1",
]


def enc(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def login_body(user: str, password: str, task: str = "listsessions") -> str:
    return f"task={task}&user={enc(user)}&password={enc(password)}&authid="


def post_from(broker: harness.Broker, source: str, path: str, body: str,
              timeout: float = 60.0) -> tuple[harness.Response, float]:
    """POST from a chosen loopback source address (nginx passes it on as REMOTE_ADDR, so each
    source is a different client address for the service's throttle). Returns (response, s)."""
    start = time.monotonic()
    conn = http.client.HTTPConnection(broker.host, broker.port, timeout=timeout, source_address=(source, 0))
    try:
        data = body.encode("utf-8")
        conn.request("POST", path, data, {"Content-Type": "application/x-www-form-urlencoded",
                                          "Content-Length": str(len(data))})
        resp = conn.getresponse()
        return harness.Response(resp.status, resp.getheaders(), resp.read()), time.monotonic() - start
    finally:
        conn.close()


def post(broker: harness.Broker, body: str, path: str = PLAIN) -> tuple[harness.Response, float]:
    return post_from(broker, "127.0.0.1", path, body)


def uid_of_pid(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[1])  # real uid
    raise AssertionError("no Uid line")


# --- fixtures -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pam_users():
    installed = harness.install_pam_service_file()
    users = harness.create_pam_users(PASSWORDS)
    yield users
    harness.remove_pam_users(users)
    if installed:
        harness.PAM_SERVICE_FILE.unlink()


@pytest.fixture(scope="module")
def expired_user(pam_users):
    """A user whose password is right but whose account has expired (chage -E 0): PAM's
    account stack (pam_acct_mgmt) refuses it."""
    users = harness.create_pam_users(["Exp1red-but-right"], prefix="x2gbt-exp")
    subprocess.run(["chage", "-E", "0", users[0].name], check=True)
    yield users[0]
    harness.remove_pam_users(users)


@pytest.fixture
def shipped_pam_service(pam_users):
    """config/pam.d/x2gobroker installed under a unique service name, whatever
    /etc/pam.d/x2gobroker holds on this machine (e.g. the reference package's)."""
    name = f"x2gbt-shipped-{os.getpid()}"
    path = harness.PAM_SERVICE_FILE.parent / name
    path.write_bytes(harness.SHIPPED_PAM_SERVICE_FILE.read_bytes())
    yield name
    path.unlink()


@pytest.fixture(scope="module")
def authservice(pam_users):
    service = harness.AuthService()
    yield service
    service.stop()


@pytest.fixture
def broker(our_broker, authservice):
    """Our broker (shared by the module's tests) as the x2gobroker user, asking `authservice`."""
    return our_broker(CONFIG, PROFILES, env={"X2GOBROKER_AUTHSERVICE_SOCKET": str(authservice.socket_path)},
                      run_as=harness.BROKER_SYSTEM_USER)


# --- the deployment shape -------------------------------------------------------------------

def test_deployment_shape(broker, authservice):
    """Workers unprivileged, service root; socket root:x2gobroker 0660 in a 0770 directory
    (§11.1 ownership)."""
    assert uid_of_pid(broker.pid) == pwd.getpwnam("x2gobroker").pw_uid
    assert uid_of_pid(authservice.pid) == 0
    gid = grp.getgrnam("x2gobroker").gr_gid
    st = os.lstat(authservice.socket_path)
    assert stat.S_ISSOCK(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o660
    assert (st.st_uid, st.st_gid) == (0, gid)
    st = os.stat(authservice.socket_path.parent)
    assert stat.S_IMODE(st.st_mode) == 0o770 and (st.st_uid, st.st_gid) == (0, gid)


def test_authservice_help_and_bad_option():
    r = subprocess.run([str(harness.AUTHSERVICE), "--help"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0
    for option in ("--socket", "--owner", "--group", "--permissions", "--allow-uid", "--pam-service",
                   "--max-concurrent", "--fail-delay-user", "--fail-delay-client", "--debug"):
        assert option in r.stdout
    r = subprocess.run([str(harness.AUTHSERVICE), "--no-such-option"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 2 and "--no-such-option" in r.stderr


# --- logins ---------------------------------------------------------------------------------

def test_good_password_gets_authid(broker, pam_users):
    """§4.1 step 7: the right password → 200 with a fresh AUTHID (plain: first line; JSON:
    next-authid). Every password of PASSWORDS works verbatim through form encoding, the frame
    protocol and PAM."""
    for user in pam_users:
        r, _ = post(broker, login_body(user.name, user.password))
        assert r.status == 200, (user.name, r)
        assert AUTHID_RE.match(r.body), r
        assert b"Access granted\n" in r.body
    u = pam_users[0]
    r, _ = post(broker, f"task=listprofiles&user={enc(u.name)}&password={enc(u.password)}&authid=", JSON)
    assert r.status == 200, r
    assert re.fullmatch(r"[0-9a-f-]{36}", json.loads(r.body)["next-authid"])


def test_wrong_password_and_unknown_user_are_indistinguishable(broker, pam_users, authservice):
    """Same status, headers and body, and about the same time (the service's failure delay),
    for a wrong password of a real user and for a user that does not exist."""
    offset = authservice.log_size()
    wrong, t_wrong = post(broker, login_body(pam_users[0].name, "not-the-password"))
    unknown, t_unknown = post(broker, login_body("x2gbt-nosuchuser", "not-the-password"))
    assert wrong.status == unknown.status == 401
    assert wrong.body == unknown.body
    assert wrong.content_type == unknown.content_type
    assert sorted(k.lower() for k, _ in wrong.headers if k.lower() != "date") == \
        sorted(k.lower() for k, _ in unknown.headers if k.lower() != "date")
    assert 1.9 <= t_wrong < 4.0, t_wrong
    assert 1.9 <= t_unknown < 4.0, t_unknown
    log = authservice.log_since(offset)
    assert f"user={pam_users[0].name} client=127.0.0.1" in log and "result=fail" in log
    assert "user=x2gbt-nosuchuser client=127.0.0.1" in log


def test_expired_account_is_refused_like_a_wrong_password(broker, expired_user, pam_users):
    """pam_acct_mgmt runs after pam_authenticate (the reference only authenticated): the right
    password of an expired account is the same 401 as a wrong one."""
    r, t = post(broker, login_body(expired_user.name, expired_user.password))
    wrong, _ = post(broker, login_body(pam_users[0].name, "not-the-password"))
    assert r.status == wrong.status == 401
    assert r.body == wrong.body
    assert t >= 1.9


def test_shipped_pam_service_file(pam_users, expired_user, shipped_pam_service):
    """config/pam.d/x2gobroker itself (common-auth + common-account): right password ok, wrong
    password and expired account fail."""
    service = harness.AuthService(["--pam-service", shipped_pam_service])
    try:
        u = pam_users[2]
        assert ask_service(service, u.name, u.password)[0] == "answer 0000000103"
        assert ask_service(service, u.name, u.password + "!")[0] == "answer 0000000105"
        assert ask_service(service, expired_user.name, expired_user.password)[0] == "answer 0000000105"
        assert f"PAM service {shipped_pam_service}" in service.log_text()
    finally:
        service.stop()


def test_a_real_password_of_another_user_is_no_key(broker, pam_users):
    r, _ = post(broker, login_body(pam_users[0].name, pam_users[1].password))
    assert r.status == 401


@pytest.mark.parametrize("user", ["../../etc/passwd", "a/b", "x" * 4096, "x" * 257, "root "])
def test_hostile_or_oversized_user_names_are_401(broker, authservice, user):
    """Refused like a wrong password; names over 256 bytes never reach the service."""
    offset = authservice.log_size()
    r, _ = post(broker, login_body(user, "whatever"))
    assert r.status == 401, r
    if len(user) > 256:
        assert authservice.log_since(offset) == ""


def test_empty_password_is_refused_without_asking(broker, pam_users, authservice):
    """pam requires a non-empty user and password (§4.4)."""
    offset = authservice.log_size()
    r, t = post(broker, login_body(pam_users[0].name, ""))
    assert r.status == 401
    assert authservice.log_since(offset) == ""


def test_passwords_never_logged(broker, pam_users, authservice):
    post(broker, login_body(pam_users[1].name, pam_users[1].password))
    post(broker, login_body(pam_users[1].name, "Wr0ng-but-secret"))
    texts = [authservice.log_text()] + [p.read_text(errors="replace") for p in broker.all_log_paths() if p.exists()]
    for text in texts:
        for secret in [u.password for u in pam_users] + ["Wr0ng-but-secret"]:
            assert secret not in text
            assert enc(secret) not in text


def test_100_parallel_logins(broker, pam_users, authservice):
    """100 logins at once, 70 right passwords of 4 users and 30 wrong ones (wrong passwords of
    real users and unknown users), each from its own client address as 100 X2Go Clients would
    be: every answer is right, and the whole burst takes a few failure delays, not 100."""
    jobs = []
    wrong = 0
    for i in range(100):
        if i % 10 < 7:
            u = pam_users[i % len(pam_users)]
            jobs.append((u.name, u.password, 200))
        elif i % 10 == 7:
            # 10 wrong passwords spread over the users: below the per-user throttle (5)
            u = pam_users[wrong % len(pam_users)]
            wrong += 1
            jobs.append((u.name, u.password + "x", 401))
        else:
            jobs.append((f"x2gbt-ghost{i}", "whatever", 401))
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=100) as pool:
        futures = [pool.submit(post_from, broker, f"127.0.1.{i + 1}", PLAIN, login_body(name, pw))
                   for i, (name, pw, _) in enumerate(jobs)]
        results = [f.result() for f in futures]
    took = time.monotonic() - start
    wrong = [(jobs[i][0], jobs[i][2], r.status) for i, (r, _) in enumerate(results) if r.status != jobs[i][2]]
    assert not wrong, wrong
    assert all(AUTHID_RE.match(r.body) for r, _ in results if r.status == 200)
    # 30 failures x 2 s on the broker's 8 threads ≈ 8 s, plus 70 PAM checks on 2 cores.
    assert took < 30, took
    print(f"100 parallel logins: {took:.1f} s")


# --- peers the service must not answer ------------------------------------------------------

PEER_SCRIPT = r"""
import socket, struct, sys
user, password, path = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3]
body = b"\x02" + b"".join(struct.pack(">H", len(f)) + f for f in (user, password, b"127.0.0.1"))
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
try:
    s.connect(path)
except OSError as e:
    print("connect-error", e.errno); sys.exit(0)
try:
    s.sendall(struct.pack(">I", len(body)) + body)
    data = s.recv(16)
except (BrokenPipeError, ConnectionResetError):
    data = b""  # the service hung up before or while we sent
print("answer" if data else "closed", data.hex())
"""


def ask_service(service, user: str, password: str) -> tuple[str, float]:
    """One request to the service as root (an allowed peer): ("answer <hex>" | "closed ...", s)."""
    start = time.monotonic()
    r = subprocess.run([harness.SYSTEM_PYTHON, "-c", PEER_SCRIPT, user, password, str(service.socket_path)],
                       capture_output=True, text=True, timeout=30)
    return r.stdout.strip(), time.monotonic() - start


def run_peer(authservice, user, password, *setpriv_args):
    cmd = ["setpriv", *setpriv_args, "--", harness.SYSTEM_PYTHON, "-c", PEER_SCRIPT, user, password,
           str(authservice.socket_path)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30)


def test_peer_with_a_disallowed_uid_gets_no_answer(authservice, pam_users):
    """`nobody` in the x2gobroker group may open the socket, but SO_PEERCRED says uid 65534:
    closed without a reply, even with a right password, and logged."""
    u = pam_users[0]
    nobody = pwd.getpwnam("nobody")
    gid = grp.getgrnam("x2gobroker").gr_gid
    offset = authservice.log_size()
    r = run_peer(authservice, u.name, u.password, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}",
                 f"--groups={gid}")
    assert r.stdout.startswith("closed"), (r.stdout, r.stderr)
    assert f"refused a connection from uid={nobody.pw_uid}" in authservice.log_since(offset)
    # without the group, the file mode already keeps it out
    r = run_peer(authservice, u.name, u.password, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}",
                 "--clear-groups")
    assert r.stdout.startswith("connect-error 13"), (r.stdout, r.stderr)


def test_root_peer_is_allowed(authservice, pam_users):
    u = pam_users[0]
    assert ask_service(authservice, u.name, u.password)[0] == "answer 0000000103"


def test_broker_uid_not_allowed_is_503(our_broker, pam_users):
    """A service that does not let the broker's uid in (here: --allow-uid root only) closes the
    connection: the broker answers 503 at once instead of pretending the password was wrong."""
    service = harness.AuthService(["--allow-uid", "root"])
    try:
        b = our_broker(CONFIG, PROFILES, env={"X2GOBROKER_AUTHSERVICE_SOCKET": str(service.socket_path)},
                       run_as=harness.BROKER_SYSTEM_USER, fresh=True)
        u = pam_users[0]
        r, t = post(b, login_body(u.name, u.password))
        assert r.status == 503, r
        assert t < 5
        assert "refused a connection from uid=" in service.log_text()
    finally:
        service.stop()


# --- the service goes away ------------------------------------------------------------------

def test_service_killed_then_restarted(our_broker, pam_users):
    """Killed mid-test (SIGKILL: the socket file stays, ECONNREFUSED; SIGTERM: the socket is
    removed, ENOENT): the broker falls back to PAM in its own process, as the reference does.
    Unprivileged, pam_unix cannot check another user's password there, so even the right one
    is a 401 (§4.4): answered, no hang, no 500, and the fallback logged exactly once. Restarted
    on the same socket, logins work again without touching the broker."""
    service = harness.AuthService()
    try:
        b = our_broker(CONFIG, PROFILES, env={"X2GOBROKER_AUTHSERVICE_SOCKET": str(service.socket_path)},
                       run_as=harness.BROKER_SYSTEM_USER, fresh=True)
        u = pam_users[0]
        r, _ = post(b, login_body(u.name, u.password))
        assert r.status == 200, r

        service.kill(signal.SIGKILL)
        assert service.socket_path.exists()
        for password in (u.password, "wrong", u.password):
            r, t = post(b, login_body(u.name, password))
            assert r.status == 401, r
            assert t < 10, t
        assert b.log_text().count(FALLBACK_NOTICE) == 1

        service.start()
        r, _ = post(b, login_body(u.name, u.password))
        assert r.status == 200, r

        service.kill(signal.SIGTERM)
        assert not service.socket_path.exists()
        r, t = post(b, login_body(u.name, u.password))
        assert r.status == 401 and t < 10, (r, t)
        assert b.log_text().count(FALLBACK_NOTICE) == 1  # once per process, not per outage
        assert "stopped" in service.log_text()
    finally:
        service.stop()


def test_service_hung_is_503_after_the_timeout(our_broker, pam_users):
    """A service that accepts but never answers (SIGSTOP): 503 after the broker's 20 s answer
    time-out, never a hang. The other way round, a broken PAM (pam_start failing) is also a 503;
    that is covered by the unit tests with a fake PAM."""
    service = harness.AuthService()
    try:
        b = our_broker(CONFIG, PROFILES, env={"X2GOBROKER_AUTHSERVICE_SOCKET": str(service.socket_path)},
                       run_as=harness.BROKER_SYSTEM_USER, fresh=True)
        u = pam_users[0]
        service.send_signal(signal.SIGSTOP)
        try:
            r, t = post(b, login_body(u.name, u.password))
        finally:
            service.send_signal(signal.SIGCONT)
        assert r.status == 503, r
        assert 19 <= t < 30, t
    finally:
        service.stop()


def test_repeated_failures_of_one_user_are_slowed(pam_users):
    """The throttle, on the wire to the service (as root, allowed): after --fail-delay-user
    failures, attempts for that user are spaced out; another user is not slowed."""
    service = harness.AuthService(["--fail-delay-user", "2", "--fail-delay-step", "1500", "--fail-delay-max", "3000"])
    try:
        u, other = pam_users[0], pam_users[1]
        assert ask_service(service, u.name, "bad")[0] == "answer 0000000105"
        assert ask_service(service, u.name, "bad")[0] == "answer 0000000105"
        # third attempt: waits 1.5 s after the second answer, then succeeds (and resets)
        answer, t = ask_service(service, u.name, u.password)
        assert answer == "answer 0000000103" and t >= 1.2, (answer, t)
        answer, t = ask_service(service, u.name, u.password)
        assert answer == "answer 0000000103" and t < 1.2, (answer, t)
        answer, t = ask_service(service, other.name, other.password)
        assert answer == "answer 0000000103" and t < 1.2, (answer, t)
    finally:
        service.stop()
