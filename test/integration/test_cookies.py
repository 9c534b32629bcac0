# SPDX-License-Identifier: AGPL-3.0-or-later
"""Authentication cookies (AUTHIDs) end to end: PROTOCOL.md §4.1-§4.3, §13 rows 7, 8, 9, 26, 28.

Real nginx + our x2gobroker-fcgi with `require-password = true` and `default-auth-mech = none`
(every password is accepted, so no PAM is needed; the cookie logic is what is under test), the
file cookie store in a temporary `cookie-directory`, and the reference broker on the same
configuration as the oracle. Tokens are random, so the differential tests compare the
sequence of statuses, the bodies with tokens masked, and which answers carry the same token.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import http.client
import json
import os
import re
import shutil
import stat
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import harness

PROFILES = "profiles-basic.conf"
PLAIN = "/plain/inifile/"
JSON = "/json/inifile/"
UUID4_RE = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def auth_config(cookie_dir: str = "@RUN_DIR@/cookies", **keys: str) -> str:
    """[global] with require-password and the `none` mechanism; `keys` are more [global] keys
    (underscores become dashes). The reference ignores cookie-directory (§4.2)."""
    values = {"require-password": "true", "require-cookie": "false", "default-auth-mech": "none",
              "default-agent-query-mode": "NONE", "default-portscan-x2goservers": "false",
              "cookie-directory": cookie_dir}
    values.update({k.replace("_", "-"): v for k, v in keys.items()})
    return "[global]\n" + "".join(f"{k} = {v}\n" for k, v in values.items())


def enc(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def form(**fields: str) -> str:
    return "&".join(f"{k}={enc(v)}" for k, v in fields.items())


def post_from(broker: harness.Broker, source: str, path: str, body: str, timeout: float = 15.0) -> harness.Response:
    """POST from a chosen loopback source address (127.0.0.2 makes a second client for
    verify-ip: nginx and the reference both see it as the peer)."""
    conn = http.client.HTTPConnection(broker.host, broker.port, timeout=timeout, source_address=(source, 0))
    try:
        data = body.encode("utf-8")
        conn.request("POST", path, data, {"Content-Type": "application/x-www-form-urlencoded",
                                          "Content-Length": str(len(data))})
        resp = conn.getresponse()
        return harness.Response(resp.status, resp.getheaders(), resp.read())
    finally:
        conn.close()


def authid_of(resp: harness.Response) -> str | None:
    """The cookie of an answer: `AUTHID:` (plain, first line) or `next-authid` (JSON)."""
    if resp.status != 200:
        return None
    if resp.body.startswith(b"{"):
        return json.loads(resp.body).get("next-authid")
    m = re.match(rb"AUTHID:(.*)\n", resp.body)
    return m.group(1).decode() if m else None


def mask(body: bytes) -> bytes:
    return UUID4_RE.sub(b"<AUTHID>", body)


def cookie_file(directory: Path, token: str) -> Path:
    return directory / hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Step:
    """One request of a sequence. authid may name an earlier step's token with "$name";
    save stores this answer's token under that name. sleep waits before the request."""
    authid: str = ""
    user: str = "alice"
    password: str = "x"
    path: str = PLAIN
    task: str = "listsessions"
    source: str = "127.0.0.1"
    save: str | None = None
    sleep: float = 0.0


@dataclass
class Outcome:
    status: int
    body: bytes  # tokens masked
    token: str | None
    # which earlier answer carried the same token: index of its first appearance, or None
    same_as: int | None = None
    extra: dict = field(default_factory=dict)


def run_sequence(broker: harness.Broker, steps: list[Step]) -> list[Outcome]:
    tokens: dict[str, str | None] = {}
    first_seen: dict[str, int] = {}
    out: list[Outcome] = []
    for i, s in enumerate(steps):
        if s.sleep:
            time.sleep(s.sleep)
        authid = s.authid
        if authid.startswith("$"):
            authid = tokens.get(authid[1:]) or ""
        task = s.task if s.path == PLAIN or s.task != "listsessions" else "listprofiles"
        body = form(task=task, user=s.user, password=s.password, authid=authid)
        r = post_from(broker, s.source, s.path, body)
        tok = authid_of(r)
        if s.save:
            tokens[s.save] = tok
        o = Outcome(r.status, mask(r.body) if r.status == 200 else b"", tok)
        if tok is not None:
            o.same_as = first_seen.setdefault(tok, i)
        out.append(o)
    return out


def shape(outcomes: list[Outcome]) -> list[tuple]:
    return [(o.status, o.body, o.token is not None, o.same_as) for o in outcomes]


@pytest.fixture
def auth_pair(reference_broker, our_broker):
    """(reference, ours) on the same configuration; fresh, since cookies are state."""
    def make(config: str, profiles: str = PROFILES, **kw):
        return reference_broker(config, profiles, fresh=True), our_broker(config, profiles, fresh=True, **kw)
    return make


@pytest.fixture
def ours_auth(our_broker):
    def make(config: str | None = None, profiles: str = PROFILES, **kw):
        return our_broker(config or auth_config(), profiles, fresh=True, **kw)
    return make


@pytest.fixture
def temp_root():
    d = Path(tempfile.mkdtemp(prefix="x2gobroker-it-cookies-", dir="/tmp"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def all_logs(broker: harness.Broker) -> str:
    text = ""
    for p in sorted(broker.run_dir.glob("*.log")):
        text += p.read_text(errors="replace")
    return text


# --- issuing and consuming (ours) ---------------------------------------------------------

def test_login_issues_authid_stored_by_hash(ours_auth):
    """§4.1 step 7: a password login answers `AUTHID:<uuid4>`; §4.2: the store holds one
    private file named by the token's SHA-256, in a 0700 directory, never the token itself."""
    b = ours_auth()
    r = b.post(PLAIN, form(task="listsessions", user="alice", password="x", authid=""))
    assert r.status == 200, r
    token = authid_of(r)
    assert token and UUID4_RE.fullmatch(token.encode()), r
    assert r.body.startswith(f"AUTHID:{token}\nAccess granted\n".encode())
    cookies = b.run_dir / "cookies"
    assert [p.name for p in cookies.iterdir()] == [cookie_file(cookies, token).name]
    assert stat.S_IMODE(cookies.stat().st_mode) == 0o700
    f = cookie_file(cookies, token)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert f.stat().st_uid == os.geteuid()
    content = f.read_bytes()
    assert token.encode() not in content and b"alice" not in content  # hex-encoded fields


def test_json_login_issues_next_authid(ours_auth):
    b = ours_auth()
    r = b.post(JSON, form(task="listprofiles", user="alice", password="x", authid=""))
    assert r.status == 200, r
    doc = json.loads(r.body)
    assert doc["auth-status"] == "Access granted"
    assert UUID4_RE.fullmatch(doc["next-authid"].encode())


@pytest.mark.parametrize("path", [PLAIN, JSON])
def test_rotation_and_single_use(ours_auth, path):
    """A → B → C, each cookie once; a spent cookie without a password is 401 (§4.1 step 8);
    the store keeps exactly the live cookie."""
    b = ours_auth()
    steps = [Step(path=path, save="A"),
             Step(path=path, authid="$A", password="", save="B"),
             Step(path=path, authid="$B", password="", save="C"),
             Step(path=path, authid="$A", password=""),
             Step(path=path, authid="$B", password="")]
    o = run_sequence(b, steps)
    assert [x.status for x in o] == [200, 200, 200, 401, 401]
    tokens = [x.token for x in o[:3]]
    assert len(set(tokens)) == 3
    assert [p.name for p in (b.run_dir / "cookies").iterdir()] == [cookie_file(b.run_dir / "cookies", tokens[2]).name]


def test_spent_authid_with_password_is_verified_again(auth_pair):
    """Our improvement (§4.1, issue 3 item 3): X2Go Client always sends its password along and
    exits on any HTTP error, so a spent cookie plus a password is a fresh password login (200,
    new cookie); without a password it stays 401. The reference answers 401 to both."""
    ref, ours = auth_pair(auth_config())
    steps = [Step(save="A"), Step(authid="$A", password="", save="B"),
             Step(authid="$A", password="x"), Step(authid="$A", password="")]
    o = run_sequence(ours, steps)
    assert [x.status for x in o] == [200, 200, 200, 401]
    assert o[2].token not in (o[0].token, o[1].token)
    r = run_sequence(ref, steps)
    assert [x.status for x in r] == [200, 200, 401, 401]  # the reference: no fall-back


def test_cookie_is_bound_to_its_user(ours_auth):
    """Alice's cookie presented as bob: 401, and it stays valid for alice (§4.1)."""
    b = ours_auth()
    o = run_sequence(b, [Step(save="A"), Step(authid="$A", user="bob", password=""),
                         Step(authid="$A", user="alice", password="")])
    assert [x.status for x in o] == [200, 401, 200]


def test_concurrent_use_of_one_cookie_in_several_worker_processes(ours_auth, monkeypatch, temp_root):
    """Three pre-forked worker processes share the store through the file system: of 24
    simultaneous requests with the same cookie exactly one is granted; 40 parallel logins all
    get distinct cookies."""
    wrapper = temp_root / "x2gobroker-fcgi"
    wrapper.write_text(f"#!/bin/sh\nexec {harness.OUR_BROKER} --workers 3 --threads 4 \"$@\"\n")
    wrapper.chmod(0o755)
    monkeypatch.setattr(harness, "OUR_BROKER", wrapper)
    b = ours_auth()
    with concurrent.futures.ThreadPoolExecutor(max_workers=24) as pool:
        logins = list(pool.map(lambda i: b.post(PLAIN, form(task="listsessions", user=f"u{i}", password="x")),
                               range(40)))
        assert all(r.status == 200 for r in logins), [r for r in logins if r.status != 200][:3]
        tokens = [authid_of(r) for r in logins]
        assert len(set(tokens)) == 40
        token = tokens[0]
        racing = list(pool.map(lambda _: b.post(PLAIN, form(task="listsessions", user="u0", password="",
                                                              authid=token)), range(24)))
    assert sorted(r.status for r in racing) == [200] + [401] * 23
    assert len(list((b.run_dir / "cookies").iterdir())) == 40  # 39 unused + the rotated one


def test_unsafe_cookie_directory_is_refused_with_503(ours_auth, temp_root):
    """A cookie directory others may write is not used: logins that need an AUTHID answer 503
    and the log says why; password-less requests are unaffected by it (§13 row 7)."""
    cookies = temp_root / "cookies"
    cookies.mkdir()
    cookies.chmod(0o777)
    b = ours_auth(auth_config(cookie_dir=str(cookies)))
    r = b.post(PLAIN, form(task="listsessions", user="alice", password="x", authid=""))
    assert r.status == 503, r
    assert b"writable" not in r.body and str(cookies).encode() not in r.body  # nothing internal
    assert f"cookie-directory {cookies} has mode 0777".encode() in b.log_path.read_bytes()
    assert list(cookies.iterdir()) == []
    cookies.chmod(0o700)  # fixed by the admin: works without a restart
    assert b.post(PLAIN, form(task="listsessions", user="alice", password="x", authid="")).status == 200


def test_expired_cookies_are_purged_at_start(ours_auth, temp_root):
    cookies = temp_root / "cookies"
    cookies.mkdir(mode=0o700)
    old, fresh, foreign = cookies / ("a" * 64), cookies / ("b" * 64), cookies / "keep-me"
    for p in (old, fresh, foreign):
        p.write_text("x")
    long_ago = time.time() - 100 - 60 - 10  # auth-timeout + the store's 60 s margin + slack
    os.utime(old, (long_ago, long_ago))
    os.utime(foreign, (long_ago, long_ago))
    ours_auth(auth_config(cookie_dir=str(cookies), auth_timeout="100"))
    assert not old.exists() and fresh.exists() and foreign.exists()


# --- differential: the same sequences against the reference -------------------------------

SEQUENCES = {
    "rotation-plain": (auth_config(), [
        Step(save="A"), Step(authid="$A", password="", save="B"), Step(authid="$B", password="wrong"),
        Step(authid="$A", password=""), Step(authid="$B", password="")]),
    "rotation-json": (auth_config(), [
        Step(path=JSON, save="A"), Step(path=JSON, authid="$A", password="", save="B"),
        Step(path=JSON, authid="$A", password=""), Step(path=JSON, authid="$B", password="")]),
    "selectsession-with-cookie": (auth_config(), [
        Step(save="A"), Step(task="selectsession", authid="$A", password="", save="B"),
        Step(task="selectsession", authid="$A", password="")]),
    "other-user": (auth_config(), [
        Step(save="A"), Step(authid="$A", user="bob", password=""), Step(authid="$A", password="")]),
    "unknown-cookie": (auth_config(), [
        Step(authid=str(uuid.uuid4()), password=""), Step(authid="not-a-uuid", password="")]),
    "use-static-cookie": (auth_config(use_static_cookie="true"), [
        Step(save="A"), Step(authid="$A", password=""), Step(authid="$A", password=""),
        Step(authid="$A", user="bob", password=""), Step(authid="$A", password="")]),
    "verify-ip": (auth_config(), [
        Step(save="A"), Step(authid="$A", password="", source="127.0.0.2"),
        Step(authid="$A", password="")]),  # consumed by the failed attempt
    "verify-ip-off": (auth_config(verify_ip="false"), [
        Step(save="A"), Step(authid="$A", password="", source="127.0.0.2", save="B"),
        Step(authid="$B", password="")]),
    "second-client-own-cookie": (auth_config(), [
        Step(source="127.0.0.2", save="A"), Step(authid="$A", password="", source="127.0.0.2")]),
    "auth-timeout": (auth_config(auth_timeout="3"), [
        # Not sliding: B inherits A's login time, so it expires 3 s after the login.
        Step(save="A"), Step(authid="$A", password="", save="B", sleep=1.5),
        Step(authid="$B", password="", sleep=3.0), Step(save="C"), Step(authid="$C", password="")]),
    "check-credentials-false": (auth_config(check_credentials="false"), [
        Step(), Step(authid=str(uuid.uuid4()), password="")]),
}


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_sequence_same_as_reference(auth_pair, name):
    config, steps = SEQUENCES[name]
    ref, ours = auth_pair(config)
    r = run_sequence(ref, steps)
    o = run_sequence(ours, steps)
    assert shape(o) == shape(r), f"ours={[(x.status, x.same_as) for x in o]} ref={[(x.status, x.same_as) for x in r]}"


def test_expected_outcomes_of_the_sequences(ours_auth):
    """What the shared sequences above show, spelled out (ours; the reference agrees)."""
    expected = {
        "use-static-cookie": [(200, 0), (200, 0), (200, 0), (401, None), (200, 0)],
        "verify-ip": [(200, 0), (401, None), (401, None)],
        "verify-ip-off": [(200, 0), (200, 1), (200, 2)],
        "auth-timeout": [(200, 0), (200, 1), (401, None), (200, 3), (200, 4)],
        "check-credentials-false": [(200, None), (200, None)],
    }
    for name, want in expected.items():
        config, steps = SEQUENCES[name]
        got = [(x.status, x.same_as) for x in run_sequence(ours_auth(config), steps)]
        assert got == want, name


def test_expired_cookie_with_password_logs_in_again(ours_auth):
    """auth-timeout over: without a password 401, with one a fresh login (our improvement)."""
    b = ours_auth(auth_config(auth_timeout="1"))
    o = run_sequence(b, [Step(save="A"), Step(authid="$A", password="", sleep=2.2)])
    assert [x.status for x in o] == [200, 401]
    o = run_sequence(b, [Step(save="A"), Step(authid="$A", password="y", sleep=2.2)])
    assert [x.status for x in o] == [200, 200] and o[1].token != o[0].token


# --- static cookie: my-cookie-file, require-cookie (§4.3) ---------------------------------

@pytest.fixture
def static_cookie(temp_root):
    token = str(uuid.uuid4())
    path = temp_root / "x2gobroker.authid"
    path.write_text(f"# the pre-shared cookie\n\n{token} trailing words are ignored\n")
    return token, path


def test_require_cookie_only_same_as_reference(auth_pair, static_cookie):
    """Cookie-only mode (§4.1 step 6): no cookie or a wrong one 401; the right one 200 and
    echoed as AUTHID; no password needed."""
    token, path = static_cookie
    config = auth_config(require_password="false", require_cookie="true", my_cookie_file=str(path))
    ref, ours = auth_pair(config)
    steps = [Step(password=""), Step(authid=str(uuid.uuid4()), password=""), Step(authid=token, password=""),
             Step(authid=token, user="bob", password=""), Step(path=JSON, authid=token, password=""),
             Step(authid=token.upper(), password="")]
    for b in (ref, ours):
        o = run_sequence(b, steps)
        assert [x.status for x in o] == [401, 401, 200, 200, 200, 401], b.kind
        assert o[2].token == token and o[4].token == token, b.kind
    assert shape(run_sequence(ours, steps)) == shape(run_sequence(ref, steps))


def test_require_cookie_and_password(auth_pair, static_cookie):
    """§13 row 9: with require-cookie and require-password the first login (static cookie +
    password) makes the reference crash with 500; ours grants it with a fresh dynamic cookie,
    which then works like any other. The cookie stays mandatory: no fall-back to the password."""
    token, path = static_cookie
    config = auth_config(require_cookie="true", my_cookie_file=str(path))
    ref, ours = auth_pair(config)
    steps = [Step(authid=token, save="D"), Step(authid="$D", password="", save="E"),
             Step(authid="$D", password="x"), Step(password="x"), Step(authid="$E", password="")]
    o = run_sequence(ours, steps)
    assert [x.status for x in o] == [200, 200, 401, 401, 200]
    assert o[0].token not in (None, token) and o[1].token not in (o[0].token, token)
    assert run_sequence(ref, steps[:1])[0].status == 500  # the reference bug


def test_my_cookie_file_missing_refuses_to_start(our_broker, temp_root):
    """§4.3, ours: require-cookie without any cookie configured is a start-up error."""
    config = auth_config(require_cookie="true", require_password="false",
                         my_cookie_file=str(temp_root / "missing.authid"))
    with pytest.raises(RuntimeError, match="exited"):
        our_broker(config, PROFILES, fresh=True)


# --- hostile input: nothing outside the cookie directory (§13 row 8) -----------------------

HOSTILE_USERS = [
    ("../../etc/passwd", None), ("../../../../../../../../etc/passwd", None), ("a/b", None),
    ("/abs/olute", None), ("..", None), (".", None), ("../../../pwned", None),
    ("x" * 4096, None), ("ünï/cødé", None), ("name with spaces", None),
    ("nul\x00byte", 400), ("new\nline", 400), ("tab\tuser", 400), ("\x1b[31m", 400),
]


def tree(root: Path) -> dict[str, tuple]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            p = Path(dirpath) / n
            st = p.lstat()
            out[str(p)] = (stat.S_IFMT(st.st_mode), st.st_size)
    return out


def test_hostile_user_names_stay_inside_the_cookie_directory(ours_auth, temp_root):
    """User names meant to traverse paths get a cookie like any other name (the `none`
    mechanism accepts them; real mechanisms refuse unknown users with 401) or a 400 for control
    characters, and every file written lands in the cookie directory, named by a hash."""
    cookies = temp_root / "var" / "lib" / "x2gobroker" / "cookies"  # created by the first login
    b = ours_auth(auth_config(cookie_dir=str(cookies)))
    etc_before = sorted(os.listdir("/etc"))
    before = tree(temp_root)
    assert before == {}
    issued = 0
    for user, want in HOSTILE_USERS:
        r = b.post(PLAIN, "task=listsessions&user=" + enc(user) + "&password=x&authid=")
        if want is not None:
            assert r.status == want, (user, r)
            continue
        assert r.status in (200, 401), (user, r)
        if r.status == 200:
            issued += 1
            token = authid_of(r)
            assert cookie_file(cookies, token).is_file(), user
            # ... and the cookie works for exactly that name.
            r2 = b.post(PLAIN, "task=listsessions&user=" + enc(user) + "&password=&authid=" + token)
            assert r2.status == 200, (user, r2)
    after = tree(temp_root)
    outside = [p for p in after if not p.startswith(str(cookies) + "/") and not str(cookies).startswith(p)]
    assert outside == [], outside
    inside = [p for p in after if p.startswith(str(cookies) + "/")]
    assert len(inside) == issued and all(re.fullmatch(r"[0-9a-f]{64}", Path(p).name) for p in inside), inside
    assert sorted(os.listdir("/etc")) == etc_before
    assert not list(b.run_dir.glob("**/*passwd*")) and not list(b.run_dir.glob("**/pwned*"))


def test_hostile_user_name_escapes_the_reference_store(reference_broker):
    """§4.2 / §13 row 8, shown on the reference: `user=../../../pwned` writes
    <home>/.x2go/broker-cookies/../../../pwned_<uuid>, i.e. outside its store."""
    ref = reference_broker(auth_config(), PROFILES, fresh=True)
    r = ref.post(PLAIN, "task=listsessions&user=" + enc("../../../pwned") + "&password=x&authid=")
    assert r.status == 200, r
    token = authid_of(r)
    assert (ref.run_dir / f"pwned_{token}").exists()


@pytest.mark.parametrize("authid", ["../../../../etc/passwd", "../x", "%2e%2e%2f", "a" * 4000,
                                    "00000000-0000-0000-0000-000000000000/../x"])
def test_hostile_authid_is_just_unknown(ours_auth, temp_root, authid):
    cookies = temp_root / "cookies"
    b = ours_auth(auth_config(cookie_dir=str(cookies)))
    assert b.post(PLAIN, form(task="listsessions", user="alice", password="", authid=authid)).status == 401
    r = b.post(PLAIN, form(task="listsessions", user="alice", password="x", authid=authid))
    assert r.status == 200  # a password login, cookie ignored (our fall-back)
    assert [p for p in tree(temp_root) if not p.startswith(str(cookies))] == []


# --- logs (§13 row 28) --------------------------------------------------------------------

def test_cookies_never_appear_in_full_in_logs(ours_auth, monkeypatch, temp_root):
    """Issue, rotate, reuse, mismatch: no full token in any log of ours (broker at debug level,
    nginx error and access logs)."""
    wrapper = temp_root / "x2gobroker-fcgi"
    wrapper.write_text(f"#!/bin/sh\nexec {harness.OUR_BROKER} --log-level debug \"$@\"\n")
    wrapper.chmod(0o755)
    monkeypatch.setattr(harness, "OUR_BROKER", wrapper)
    b = ours_auth()
    o = run_sequence(b, [Step(save="A"), Step(authid="$A", password="", save="B"),
                         Step(authid="$A", password=""), Step(authid="$B", user="bob", password=""),
                         Step(path=JSON, authid="$B", password="", save="C"),
                         Step(authid="$A", password="x")])
    tokens = {x.token for x in o if x.token}
    assert len(tokens) == 4
    logs = all_logs(b)
    assert "POST /plain/inifile/" in logs  # the logs are the right ones
    for t in tokens:
        assert t not in logs
        assert t.replace("-", "") not in logs


# --- the real clients (PROTOCOL.md §14.3, §14.4) ------------------------------------------

@pytest.fixture
def client_home():
    d = Path(tempfile.mkdtemp(prefix="x2gobroker-it-client-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.mark.skipif(not Path("/usr/bin/x2goclient").exists(), reason="x2goclient not installed")
def test_x2goclient_with_auth_id(any_broker, client_home):
    """§14.4: a cookie from a password login handed to X2Go Client with --auth-id: it sends it
    with listsessions, then selectsession with the rotated one."""
    b = any_broker(auth_config(), PROFILES)
    r = b.post(PLAIN, form(task="listsessions", user="foo", password="x", authid=""))
    first = authid_of(r)
    assert first, r
    (client_home / "authid.txt").write_text(first + "\n")
    log = harness.run_x2goclient(
        ["--debug", "--no-menu", f"--broker-url={b.url(PLAIN, user='foo')}", "--broker-noauth",
         f"--auth-id={client_home / 'authid.txt'}", "--sessionid=alpha"],
        client_home, client_home / "xc.log", ["Server port:"])
    assert f'sending request: "task=listsessions&user=foo&password=********&authid={first}"' in log, log[-3000:]
    m = re.search(r'sending request: "task=selectsession&sid=alpha&user=foo&password=\*+&authid=([^&"]*)', log)
    assert m, log[-3000:]
    assert UUID4_RE.fullmatch(m.group(1).encode()) and m.group(1) != first, log[-3000:]
    assert 'Server IP address: "127.0.0.1"' in log, log[-3000:]
    assert 'Server port: "22"' in log, log[-3000:]


@pytest.mark.skipif(not Path("/usr/bin/pyhoca-cli").exists(), reason="pyhoca-cli not installed")
def test_pyhoca_with_broker_password(any_broker, client_home):
    """§14.3: pyhoca-cli --broker-password logs in (the `none` mechanism takes any password)
    and lists the profiles."""
    b = any_broker(auth_config(), "profiles-pyhoca.conf")
    p = harness.run_pyhoca(["--broker-url", b.url(JSON, user="foo"), "--broker-password", "secret",
                            "--list-profiles"], client_home)
    out = p.stdout.decode(errors="replace")
    assert re.findall(r"^Profile ID: (.*)$", out, re.M) == ["alpha", "pool-b"], out[-3000:]
    assert "Traceback" not in out, out[-3000:]
