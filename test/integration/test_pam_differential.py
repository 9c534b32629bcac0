# SPDX-License-Identifier: AGPL-3.0-or-later
"""PAM logins, differential: the Debian reference broker and ours on the SAME real Linux users
(issue 3 item 7; PROTOCOL.md §4.1, §4.4, §14.2).

Both brokers get the same x2gobroker.conf (require-password, default-auth-mech = pam, no
agent, no port scan) and the same profile file (two single-host profiles), and each checks
passwords the way it is deployed:

* reference: x2gobroker-daemon (as root, started by the harness) asks the Debian
  /usr/sbin/x2gobroker-authservice (as root, on a socket in its own run directory, named by
  X2GOBROKER_AUTHSERVICE_SOCKET), PAM service `x2gobroker`;
* ours: x2gobroker-fcgi behind nginx with its workers as the unprivileged `x2gobroker` user,
  asking our x2gobroker-authservice (as root), PAM service `x2gobroker`.

/etc/pam.d/x2gobroker is used as found (the reference package's) or installed from
config/pam.d/ if missing. `cookie-directory` is ignored by the reference (PROTOCOL §2.1/§4.2;
its cookies land in the harness's per-run home), so the same text serves both.

Compared: status; for 200 also Content-Type and body bytes with the `AUTHID:` / `next-authid`
token masked (each token must be a fresh lower-case UUID). Error bodies are not compared
(§1.3: clients never parse them). Deliberate difference, asserted both ways: a spent AUTHID
presented WITH the right password (reference 401, ours 200; PROTOCOL §4.1 step 8 "Our broker").

Needs root. Runs for about half a minute: the reference answers one request at a time and
pam_unix holds every failed check for about 2 s there; ours has the service's 2 s failure
floor, but answers in parallel.

X2GOBROKER_IT_OURS=reference (harness self-check): "ours" is a second reference instance that
asks the Debian service too; every exact test passes, the deviation test fails.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from dataclasses import dataclass

import pytest

import harness

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason="needs root: useradd, both auth services, spawn-fcgi -u")

SELF_CHECK = os.environ.get("X2GOBROKER_IT_OURS") == "reference"
DEBIAN_AUTHSERVICE = "/usr/sbin/x2gobroker-authservice"
PLAIN = "/plain/inifile/"
JSON = "/json/inifile/"

CONFIG = """\
[global]
require-password = true
require-cookie = false
default-auth-mech = pam
default-agent-query-mode = NONE
default-portscan-x2goservers = false
cookie-directory = @RUN_DIR@/cookies
"""

# Two single-host profiles: every answer is deterministic.
PROFILES = """\
[beta]
name=Beta Desktop
host=srv-b.example.org
sshport=2222
command=xfce

[alpha]
name=Alpha Terminal
host=127.0.0.1
command=TERMINAL
usebrokerpass=true
"""

# user 0, 1: plain passwords; user 2: what a form, a line protocol or a shell could trip over
# (spaces, a trailing one too, ':', '%', '&', '=', '+', quotes, backslash, 2-, 3- and 4-byte
# UTF-8). No CR or LF: the Debian service's framing (<user>\r<password>\r<service>\n) cannot
# carry them (PROTOCOL §13 row 19), so such a password has no reference answer to compare with.
SPECIAL = "sp ace : 100% & amp=1+2 'q' \"dq\" back\\slash caf\u00e9 \u20ac \U0001F600 "
PASSWORDS = ["Corr3ct-horse-0", "Corr3ct-horse-1", SPECIAL]

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PLAIN_TOKEN_RE = re.compile(rb"\AAUTHID:(" + UUID.encode() + rb")\n")
JSON_TOKEN_RE = re.compile(rb'"next-authid": "(' + UUID.encode() + rb')"')


def enc(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def form(**fields: str) -> str:
    """A form body in the given field order, every value percent-encoded (%20 for a space)."""
    return "&".join(f"{k.replace('_', '-')}={enc(v)}" for k, v in fields.items())


# What the clients send (PROTOCOL §5.1, §6.1), with the password and the authid as given.
def plain_list(user: str, password: str, authid: str = "") -> str:
    return form(task="listsessions", user=user, password=password, authid=authid)


def plain_select(user: str, password: str, authid: str = "", sid: str = "alpha") -> str:
    return form(task="selectsession", sid=sid, user=user, password=password, authid=authid, login=user)


def json_list(user: str, password: str, authid: str = "") -> str:
    return form(task="listprofiles", user=user, password=password, authid=authid)


def json_select(user: str, password: str, authid: str = "", profile: str = "alpha") -> str:
    return form(task="selectsession", profile_id=profile, user=user, password=password, authid=authid)


REQUESTS = {  # name: (path, body builder)
    "plain-listsessions": (PLAIN, plain_list),
    "plain-selectsession": (PLAIN, plain_select),
    "json-listprofiles": (JSON, json_list),
    "json-selectsession": (JSON, json_select),
}


def post_from(broker: harness.Broker, path: str, body: str, source: str = "127.0.0.1",
              timeout: float = 60.0) -> tuple[harness.Response, float]:
    """POST from a chosen loopback source address (the client IP both brokers see). Returns
    (response, seconds)."""
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


def token_of(resp: harness.Response) -> str | None:
    """The AUTHID (plain, first line) or next-authid (JSON) of a 200, else None."""
    if resp.status != 200:
        return None
    m = PLAIN_TOKEN_RE.match(resp.body) or JSON_TOKEN_RE.search(resp.body)
    return m.group(1).decode() if m else None


def masked(resp: harness.Response) -> bytes:
    body = PLAIN_TOKEN_RE.sub(b"AUTHID:<token>\n", resp.body, count=1)
    return JSON_TOKEN_RE.sub(b'"next-authid": "<token>"', body, count=1)


@dataclass
class Both:
    ref: harness.Response
    ours: harness.Response
    t_ref: float
    t_ours: float

    @property
    def tokens(self) -> tuple[str | None, str | None]:
        return token_of(self.ref), token_of(self.ours)


# --- the Debian auth service ----------------------------------------------------------------

class DebianAuthService:
    """/usr/sbin/x2gobroker-authservice -s <run_dir>/run/authservice.socket -i, as root (the
    reference broker runs as root here, so the default root:root 0660 socket suits it)."""

    def __init__(self) -> None:
        if not os.path.exists(DEBIAN_AUTHSERVICE):
            raise RuntimeError(f"{DEBIAN_AUTHSERVICE} missing: install x2gobroker-authservice (scripts/install-deps)")
        self.run_dir = harness.make_run_dir("x2gobroker-it-refauth-")
        self.socket_path = self.run_dir / "run" / "authservice.socket"
        self.log_path = self.run_dir / "authservice.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [harness.SYSTEM_PYTHON, DEBIAN_AUTHSERVICE, "-s", str(self.socket_path), "-i"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            env=harness._clean_env(), cwd=self.run_dir, start_new_session=True)
        ok = harness.wait_until(lambda: harness.unix_socket_open(self.socket_path) or self.proc.poll() is not None,
                                harness.STARTUP_TIMEOUT, 0.05)
        if not ok or self.proc.poll() is not None:
            text = self.log_text()
            self.stop()
            raise RuntimeError(f"{DEBIAN_AUTHSERVICE} did not start:\n{text}")

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def log_text(self) -> str:
        return self.log_since(0)

    def log_since(self, offset: int) -> str:
        return self.log_path.read_bytes()[offset:].decode("utf-8", "replace")

    def stop(self) -> None:
        harness._kill_group(self.proc)
        self._log.close()
        if not os.environ.get("X2GOBROKER_IT_KEEP"):
            shutil.rmtree(self.run_dir, ignore_errors=True)


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def users():
    installed = harness.install_pam_service_file()
    created = harness.create_pam_users(PASSWORDS, prefix="x2gbt-pd")
    yield created
    harness.remove_pam_users(created)
    if installed:
        harness.PAM_SERVICE_FILE.unlink()


@pytest.fixture(scope="module")
def ref_service(users):
    service = DebianAuthService()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def our_service(users):
    if SELF_CHECK:
        yield None
        return
    service = harness.AuthService()
    yield service
    service.stop()


@pytest.fixture
def pair(reference_broker, our_broker, ref_service, our_service):
    """(reference, ours), shared by the module's tests (the conftest cache keys on the socket)."""
    ref = reference_broker(CONFIG, PROFILES, env={"X2GOBROKER_AUTHSERVICE_SOCKET": str(ref_service.socket_path)})
    if SELF_CHECK:
        ours = our_broker(CONFIG, PROFILES, env={"X2GOBROKER_AUTHSERVICE_SOCKET": str(ref_service.socket_path)},
                          run_as=harness.BROKER_SYSTEM_USER)
    else:
        ours = our_broker(CONFIG, PROFILES, env={"X2GOBROKER_AUTHSERVICE_SOCKET": str(our_service.socket_path)},
                          run_as=harness.BROKER_SYSTEM_USER)
    return ref, ours


_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=2)


def both_each(pair, path: str, body_ref: str, body_ours: str, source: str = "127.0.0.1") -> Both:
    """A request to each broker (bodies differing only in the token each issued), at the same
    time."""
    ref, ours = pair
    fr = _POOL.submit(post_from, ref, path, body_ref, source)
    fo = _POOL.submit(post_from, ours, path, body_ours, source)
    (r, tr), (o, to) = fr.result(), fo.result()
    return Both(r, o, tr, to)


def both(pair, path: str, body: str, source: str = "127.0.0.1") -> Both:
    """The same request to both brokers at the same time."""
    return both_each(pair, path, body, body, source)


def assert_same(b: Both, what: str) -> None:
    assert b.ours.status == b.ref.status, f"{what}: status ours={b.ours.status} ref={b.ref.status}\n{b.ours!r}\n{b.ref!r}"
    if b.ref.status != 200:
        return
    assert b.ours.content_type == b.ref.content_type, what
    assert masked(b.ours) == masked(b.ref), f"{what}:\nours={masked(b.ours)[:1500]!r}\nref ={masked(b.ref)[:1500]!r}"


def assert_granted(b: Both, what: str, previous: tuple[str | None, str | None] = (None, None)) -> tuple[str, str]:
    """200 on both, same masked body, a fresh token on each (different from `previous`)."""
    assert b.ref.status == 200, f"{what}: reference {b.ref!r}"
    assert b.ours.status == 200, f"{what}: ours {b.ours!r}"
    assert_same(b, what)
    t_ref, t_ours = b.tokens
    assert t_ref and t_ours, f"{what}: no token: ref={b.ref!r} ours={b.ours!r}"
    assert t_ref != previous[0] and t_ours != previous[1], f"{what}: token not renewed"
    return t_ref, t_ours


def assert_denied(b: Both, what: str) -> None:
    assert b.ref.status == 401, f"{what}: reference {b.ref!r} after {b.t_ref:.2f} s"
    assert b.ours.status == 401, f"{what}: ours {b.ours!r} after {b.t_ours:.2f} s"


# --- the right password ---------------------------------------------------------------------

@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_good_password(pair, users, request_name):
    """§4.1 step 7: the right password → 200 and the same body on both; AUTHID (plain) /
    next-authid (JSON) a fresh token on each."""
    path, build = REQUESTS[request_name]
    u = users[0]
    b = both(pair, path, build(u.name, u.password))
    assert_granted(b, request_name)
    assert (b"Access granted\n" in b.ref.body) or (b'"auth-status": "Access granted"' in b.ref.body)


@pytest.mark.parametrize("encoding", ["percent", "plus", "raw-utf8"])
@pytest.mark.parametrize("request_name", ["plain-listsessions", "json-listprofiles"])
def test_password_with_spaces_colon_percent_ampersand_utf8(pair, users, encoding, request_name):
    """A password with spaces (one trailing: the password is the only field not stripped,
    §1.5), ':', '%', '&', '=', '+', quotes and UTF-8 up to 4 bytes, set with chpasswd: 200 on
    both. Encoded as clients do (%20 / '+' for spaces), and with the non-ASCII bytes left raw
    (only '%', '&', '+' and '=' escaped)."""
    u = users[2]
    path, build = REQUESTS[request_name]
    body = build(u.name, "PASSWORD")
    if encoding == "percent":
        value = enc(u.password)
    elif encoding == "plus":
        value = urllib.parse.quote_plus(u.password, safe="")
    else:
        value = u.password.replace("%", "%25").replace("&", "%26").replace("+", "%2B").replace("=", "%3D")
    body = body.replace("password=PASSWORD", f"password={value}")
    assert_granted(both(pair, path, body), f"{request_name} {encoding}")


# --- refused logins -------------------------------------------------------------------------

# (name, user: index into PASSWORDS / None for one that does not exist / "" for an empty name,
#  password: the text sent, or "other" for user 1's real password)
FAILURES = [
    ("wrong-password", 0, "not-the-password"),
    ("unknown-user", None, "whatever-1"),
    ("empty-password", 0, ""),
    ("empty-user", "", "whatever-2"),
    ("other-users-password", 0, "other"),
    ("password-case-changed", 1, "corr3ct-horse-1"),
]


@pytest.mark.parametrize("request_name", ["plain-listsessions", "json-listprofiles"])
@pytest.mark.parametrize("name,who,password", FAILURES, ids=[f[0] for f in FAILURES])
def test_refused_login_is_401_on_both(pair, users, request_name, name, who, password):
    """Wrong password, unknown user, empty password (§4.4: pam needs both, nobody is asked),
    empty user, another user's real password, a password differing only in case: 401 on both.
    (Ours holds every failure the service checked for 2 s; test_pam_auth.py times that.)"""
    path, build = REQUESTS[request_name]
    if who is None:
        user = f"x2gbt-pdnobody-{request_name[:5]}"
    elif who == "":
        user = ""
    else:
        user = users[who].name
    if password == "other":
        password = users[1].password
    assert_denied(both(pair, path, build(user, password)), f"{request_name} {name}")


# --- the cookie chain -----------------------------------------------------------------------

@pytest.mark.parametrize("protocol", ["plain", "json"])
def test_cookie_chain(pair, users, protocol):
    """§4.1 step 8 on both: the returned token with an EMPTY password → 200 and a new token;
    a live token with a WRONG password → 200 too (the password is not looked at); a spent token
    → 401; a live token under another user name → 401 and is not consumed by that."""
    u = users[1]
    if protocol == "plain":
        first, nxt = REQUESTS["plain-listsessions"], REQUESTS["plain-selectsession"]
    else:
        first, nxt = REQUESTS["json-listprofiles"], REQUESTS["json-selectsession"]
    t1 = assert_granted(both(pair, first[0], first[1](u.name, u.password)), "password login")

    def with_tokens(tokens, password, user=u.name, req=nxt):
        path, build = req
        return both_each(pair, path, build(user, password, tokens[0]), build(user, password, tokens[1]))

    t2 = assert_granted(with_tokens(t1, ""), "token + empty password", t1)
    t3 = assert_granted(with_tokens(t2, "not-the-password"), "token + wrong password", t2)
    assert_denied(with_tokens(t1, ""), "spent token + empty password")
    assert_denied(with_tokens(t2, ""), "spent token + empty password")
    assert_denied(with_tokens(t3, "", user=users[0].name), "live token of another user")
    t4 = assert_granted(with_tokens(t3, "", req=first), "token after the other user's try", t3)
    assert len({t1[0], t2[0], t3[0], t4[0]}) == 4 and len({t1[1], t2[1], t3[1], t4[1]}) == 4


def test_cookie_from_another_client_address(pair, users):
    """verify-ip (default on, §4.1 step 8): a token presented from another address with an
    empty password → 401 on both, and it is spent by that: back from the right address, 401."""
    u = users[0]
    path, build = REQUESTS["plain-listsessions"]
    t = assert_granted(both(pair, path, build(u.name, u.password)), "password login")
    for source, what in (("127.0.0.2", "other address"), ("127.0.0.1", "spent by the other address")):
        assert_denied(both_each(pair, path, build(u.name, "", t[0]), build(u.name, "", t[1]), source), what)


def test_spent_authid_with_the_right_password_deviation(pair, users):
    """DELIBERATE DIFFERENCE (PROTOCOL §4.1 step 8, "Our broker"): a spent AUTHID presented
    WITH the right password. The reference denies without looking at the password (401), so
    X2Go Client, which always sends the password along and gives up on any HTTP error, is
    thrown out; ours authenticates the password as in step 7 instead → 200 with a new token.
    Shared: the same spent AUTHID with an empty or a wrong password is a 401 on both."""
    u = users[1]
    path, build = REQUESTS["plain-selectsession"]
    t1 = assert_granted(both(pair, path, build(u.name, u.password)), "password login")
    t2 = assert_granted(both_each(pair, path, build(u.name, "", t1[0]), build(u.name, "", t1[1])), "spend it", t1)

    def spent(password):
        return both_each(pair, path, build(u.name, password, t1[0]), build(u.name, password, t1[1]))

    assert_denied(spent(""), "spent + empty password")
    assert_denied(spent("not-the-password"), "spent + wrong password")
    b = spent(u.password)
    assert b.ref.status == 401, f"reference: a spent AUTHID is a 401 even with the right password: {b.ref!r}"
    assert b.ours.status == 200, f"ours: the right password wins over a spent AUTHID: {b.ours!r}"
    t_ours = token_of(b.ours)
    assert t_ours and t_ours not in (t1[1], t2[1])
    # The body is otherwise what the reference sends for the same request with a fresh login.
    fresh = both(pair, path, build(u.name, u.password))
    assert_granted(fresh, "fresh login")
    assert masked(b.ours) == masked(fresh.ref)


# --- which PAM path each took ---------------------------------------------------------------

def test_both_asked_real_pam_through_their_services(pair, users, ref_service, our_service):
    """The oracle is real: the reference's login went through the Debian service (not its
    in-process fallback), ours through our service, each to PAM service x2gobroker."""
    ref, ours = pair
    u = users[0]
    ref_log, our_log = ref.log_size(), (our_service.log_size() if our_service else 0)
    ref_svc = ref_service.log_size()
    path, build = REQUESTS["plain-listsessions"]
    assert_granted(both(pair, path, build(u.name, u.password)), "password login")
    text = harness.wait_until(lambda: ref_service.log_since(ref_svc), 5)
    assert f"successful authentication for '{u.name}'" in text and "PAM service 'x2gobroker'" in text
    assert "trying direct PAM authentication" not in ref.log_since(ref_log)
    if our_service is None:
        pytest.skip("self-check: 'ours' is a reference")
    line = harness.wait_until(lambda: our_service.log_since(our_log), 5)
    assert f"user={u.name} client=127.0.0.1" in line and "result=ok" in line, line
    assert "PAM service x2gobroker" in our_service.log_text()
    assert "the auth service is not reachable" not in ours.log_text()


def test_reference_in_process_fallback_agrees(reference_broker, pair, users):
    """The reference's other PAM path: its socket names nothing, so it falls back to PAM in its
    own process (§4.4), which works as root. Same answers as ours (through our service)."""
    _, ours = pair
    dead = f"/tmp/x2gobroker-it-nothing-{os.getpid()}.socket"
    ref = reference_broker(CONFIG, PROFILES, env={"X2GOBROKER_AUTHSERVICE_SOCKET": dead}, fresh=True)
    u = users[2]
    path, build = REQUESTS["plain-listsessions"]
    offset = ref.log_size()
    assert_granted(both((ref, ours), path, build(u.name, u.password)), "right password")
    assert_denied(both((ref, ours), path, build(u.name, u.password.strip())), "password without its trailing space")
    assert "trying direct PAM authentication" in ref.log_since(offset)
