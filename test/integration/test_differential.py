# SPDX-License-Identifier: AGPL-3.0-or-later
"""Differential tests: the Debian reference broker is the oracle (PROTOCOL.md §14.2).

Both brokers get the same configuration and profile files; status, Content-Type and body
bytes must be equal. Only random host choices are normalised (compared as sets). Where
PROTOCOL.md §13 says we deliberately differ, the test asserts OUR behaviour, names the
reference bug, and where cheap also shows the reference's behaviour so that the test is known
to exercise a real difference.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from harness import WEB_SERVERS, NoAnswer, Response
from harness import read_data as open_data

CONFIG = "noauth.conf"
BASIC = "profiles-basic.conf"
RICH = "profiles-rich.conf"

# The routing and status tests also run with our broker behind Apache (conftest.py); the rest
# only depends on the broker, not on the web server in front of it.
behind_each_web_server = pytest.mark.web_servers(*WEB_SERVERS)
ACL = "profiles-acl.conf"


def enc(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def assert_same(ref: Response, ours: Response, what: str = "") -> None:
    assert ours.status == ref.status, f"{what}: status ours={ours.status} ref={ref.status}\nours={ours!r}\nref={ref!r}"
    if ref.status == 200:
        assert ours.content_type == ref.content_type, f"{what}: Content-Type"
        if ours.body != ref.body:
            # Show the first differing line rather than two 4 KiB blobs.
            o, r = ours.body.split(b"\n"), ref.body.split(b"\n")
            for i, (a, b) in enumerate(zip(o, r)):
                if a != b:
                    pytest.fail(f"{what}: body differs at line {i + 1}: ours={a!r} ref={b!r}\n"
                                f"ours={ours.body[:2000]!r}\nref ={ref.body[:2000]!r}")
            pytest.fail(f"{what}: body lengths differ ours={len(ours.body)} ref={len(ref.body)}\n"
                        f"ours tail={ours.body[-300:]!r}\nref tail={ref.body[-300:]!r}")


@pytest.fixture
def pair(reference_broker, our_broker):
    def make(profiles: str, config: str = CONFIG):
        return reference_broker(config, profiles), our_broker(config, profiles)
    return make


def diff(pair_brokers, method: str, path: str, body: str | bytes | None,
         headers: dict | None = None) -> tuple[Response, Response]:
    ref, ours = pair_brokers
    r = ref.request(method, path, body, headers)
    o = ours.request(method, path, body, headers)
    assert_same(r, o, f"{method} {path} {body!r}")
    return r, o


# --- plain protocol (§5), the §5.3 example profiles --------------------------------------

PLAIN_CASES = [
    ("listsessions", "/plain/inifile/", "task=listsessions&user=foo&password=bar&authid="),
    ("listsessions-default-backend", "/plain/", "task=listsessions&user=foo&password=bar&authid="),
    ("listsessions-extra-segments", "/plain/inifile/extra/x", "task=listsessions&user=foo"),
    ("listsessions-percent-encoded-path", "/plain/%69nifile/", "task=listsessions&user=foo"),
    ("listsessions-empty-user", "/plain/inifile/", "task=listsessions&user=&password=&authid="),
    ("listsessions-utf8-user", "/plain/inifile/", "task=listsessions&user=J%C3%BCrgen+X%20Y&password=&authid="),
    ("listsessions-user-whitespace-stripped", "/plain/inifile/", "task=listsessions&user=%20%20foo%20&password=%20x%20"),
    ("selectsession-alpha", "/plain/inifile/", "task=selectsession&sid=alpha&user=foo&password=bar&authid="),
    ("selectsession-x2goclient-with-login", "/plain/inifile/",
     "task=selectsession&sid=alpha&user=foo&password=&authid=&login=foo"),
    ("selectsession-localhost-single-host", "/plain/inifile/", "task=selectsession&sid=zeta-apps&user=foo"),
    ("selectsession-nonexistent", "/plain/inifile/", "task=selectsession&sid=nonexistent&user=foo&password=bar&authid="),
    ("selectsession-without-sid", "/plain/inifile/", "task=selectsession&user=foo&password=bar&authid="),
    ("selectsession-repeated-field-last-wins", "/plain/inifile/", "task=selectsession&sid=nonexistent&sid=alpha&user=foo"),
    ("no-task", "/plain/inifile/", "user=foo&password=bar"),
    ("empty-body", "/plain/inifile/", ""),
    ("unknown-task-setpass", "/plain/inifile/", "task=setpass&newpass=x&user=foo&password=bar&authid="),
    ("unknown-task-clientevent", "/plain/inifile/",
     "task=clientevent&user=&password=&sid=foo-50-1700000000_stDXFCE_dp24&event=CONNECTED&server=&client=&login=&cmd="
     "&display=&start=&elapsed=3&authid="),
]


@pytest.mark.parametrize("name,path,body", PLAIN_CASES, ids=[c[0] for c in PLAIN_CASES])
def test_plain_basic(pair, name, path, body):
    diff(pair(BASIC), "POST", path, body)


def test_plain_listsessions_matches_protocol_example(pair):
    """PROTOCOL §5.3.1 gives the size of this answer: 1515 bytes, [alpha] first."""
    r, o = diff(pair(BASIC), "POST", "/plain/inifile/", "task=listsessions&user=foo&password=bar&authid=")
    assert len(r.body) == 1515
    assert r.body.startswith(b"Access granted\nSTART_USER_SESSIONS\n\n[alpha]\nname=Alpha Terminal\n")
    assert r.body.endswith(b"directrdp=0\n\nEND_USER_SESSIONS\n")


def test_plain_content_type_not_form_is_parsed_anyway(pair):
    """§1.5: a body with another Content-Type is parsed as a query string (old client bug)."""
    diff(pair(BASIC), "POST", "/plain/inifile/", "task=selectsession&sid=alpha&user=foo",
         headers={"Content-Type": "text/plain"})


def test_plain_query_string_and_body_are_merged(pair):
    """§1.5: fields come from the query string and the body (Tornado get_argument)."""
    diff(pair(BASIC), "POST", "/plain/inifile/?task=selectsession&sid=alpha", "user=foo")


def test_plain_selectsession_random_host_as_set(pair):
    """Without an agent a multi-host profile gets a random host (§10.2 step 4.5)."""
    ref, ours = pair(BASIC)
    allowed = {b"Access granted\nSERVER:srv-b1.example.org:2222\n", b"Access granted\nSERVER:srv-b2.example.org:2222\n"}
    body = "task=selectsession&sid=pool-b&user=foo&password=bar&authid="
    seen = {"reference": set(), "ours": set()}
    for _ in range(20):
        for kind, b in (("reference", ref), ("ours", ours)):
            resp = b.post("/plain/inifile/", body)
            assert resp.status == 200 and resp.content_type == "text/plain; charset=utf-8"
            seen[kind].add(resp.body)
    assert seen["reference"] <= allowed and seen["ours"] <= allowed, seen
    assert seen["ours"] == allowed, "20 selections never picked one of the two hosts: not random"


# --- JSON protocol (§6) --------------------------------------------------------------------

JSON_CASES = [
    ("listprofiles", "/json/inifile/", "task=listprofiles&user=foo&password=bar"),
    ("listprofiles-default-backend", "/json/", "task=listprofiles&user=foo&password=bar"),
    ("listsessions-renamed", "/json/inifile/", "task=listsessions&user=foo"),
    ("listprofiles-authid-instead-of-password", "/json/inifile/", "task=listprofiles&user=foo&authid=x"),
    ("selectsession-alpha", "/json/inifile/",
     "task=selectsession&profile-id=alpha&user=foo&password=bar&pubkey=ssh-rsa%20AAAA%20foo@bar"),
    ("selectsession-pyhoca-pubkey", "/json/inifile/",
     "task=selectsession&profile-id=zeta-apps&user=foo&pubkey=no-X11-forwarding%2Cno-pty%2Cno-user-rc+ssh-rsa+AAAAB3Nz+root%40127.0.0.1&password=x"),
    ("selectsession-sid-wins", "/json/inifile/", "task=selectsession&profile-id=nonexistent&sid=alpha&user=foo"),
    ("selectsession-nonexistent", "/json/inifile/", "task=selectsession&profile-id=nonexistent&user=foo"),
    ("selectsession-no-profile", "/json/inifile/", "task=selectsession&user=foo"),
    ("no-task", "/json/inifile/", "user=foo&password=bar"),
    ("unknown-task-echoed", "/json/inifile/", "task=setpass&user=foo"),
]


@pytest.mark.parametrize("name,path,body", JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_json_basic(pair, name, path, body):
    diff(pair(BASIC), "POST", path, body)


def test_json_matches_protocol_example(pair):
    """PROTOCOL §6.3: 3940 bytes, text/json, no trailing newline; 153-byte selectsession; 55-byte no-task."""
    ref, ours = pair(BASIC)
    r, _ = diff((ref, ours), "POST", "/json/inifile/", "task=listprofiles&user=foo&password=bar")
    assert r.content_type == "text/json; charset=utf-8"
    assert len(r.body) == 3940 and r.body.endswith(b'    },\n    "task": "listprofiles"\n}')
    r, _ = diff((ref, ours), "POST", "/json/inifile/",
                "task=selectsession&profile-id=alpha&user=foo&password=bar&pubkey=ssh-rsa%20AAAA%20foo@bar")
    assert len(r.body) == 153
    r, _ = diff((ref, ours), "POST", "/json/inifile/", "user=foo&password=bar")
    assert r.body == b'{\n    "auth-status": "Access granted",\n    "task": ""\n}'


# --- rendering corner cases: [DEFAULT], aliases, not-set, unicode, desktop commands ---------

@pytest.mark.parametrize("user", ["foo", "J%C3%BCrgen", "%F0%9F%98%80"], ids=["foo", "umlaut", "emoji"])
def test_plain_rich_listsessions(pair, user):
    diff(pair(RICH), "POST", "/plain/inifile/", f"task=listsessions&user={user}&password=&authid=")


def test_json_rich_listprofiles(pair):
    r, o = diff(pair(RICH), "POST", "/json/inifile/", "task=listprofiles&user=foo&password=bar")
    # JSON is ASCII-only with \\u escapes and surrogate pairs (§6.2).
    assert b'"caf\\u00e9"' in r.body and b'"smile-\\ud83d\\ude00"' in r.body
    assert all(c < 0x80 for c in o.body)
    json.loads(o.body)


RICH_SELECT = ["single-alias", "café", "smile-😀", "Zulu", "desk-cmds",
               "shadow", "empty-host", "listval", "with space", "autologin", "autologin-off", "nonexistent"]


@pytest.mark.parametrize("sid", RICH_SELECT)
def test_plain_rich_selectsession(pair, sid):
    diff(pair(RICH), "POST", "/plain/inifile/", f"task=selectsession&sid={enc(sid)}&user=foo&password=&authid=")


@pytest.mark.parametrize("sid", ["café", "smile-😀", "with space"])
def test_plain_selectsession_raw_sid_bytes(pair, sid):
    """§5.1: X2Go Client sends sid unencoded: raw UTF-8 bytes and raw spaces."""
    body = b"task=selectsession&sid=" + sid.encode("utf-8") + b"&user=foo&password=&authid=&login=foo"
    r, _ = diff(pair(RICH), "POST", "/plain/inifile/", body)
    assert b"no-server-available" not in r.body


@pytest.mark.parametrize("sid", RICH_SELECT)
def test_json_rich_selectsession(pair, sid):
    diff(pair(RICH), "POST", "/json/inifile/", f"task=selectsession&profile-id={enc(sid)}&user=foo&password=x")


def test_plain_alias_selectsession_as_set(pair):
    """§3.5: alias targets with and without ports; the choice is random (§5.3.2)."""
    ref, ours = pair(RICH)
    allowed = {b"Access granted\nSERVER:10.0.2.11:2201\n", b"Access granted\nSERVER:10.0.2.12:22\n",
               b"Access granted\nSERVER:srv3.example.org:22\n"}
    seen = {"reference": set(), "ours": set()}
    for _ in range(20):
        for kind, b in (("reference", ref), ("ours", ours)):
            resp = b.post("/plain/inifile/", "task=selectsession&sid=alias&user=foo")
            assert resp.status == 200
            seen[kind].add(resp.body)
    assert seen["reference"] <= allowed and seen["ours"] <= allowed, seen
    assert len(seen["ours"]) >= 2, seen


# --- ACLs (§4.5) --------------------------------------------------------------------------

@pytest.mark.parametrize("user", ["foo", "bar", "baz", "root"])
def test_acl_listing(pair, user):
    diff(pair(ACL), "POST", "/plain/inifile/", f"task=listsessions&user={user}&password=&authid=")
    diff(pair(ACL), "POST", "/json/inifile/", f"task=listprofiles&user={user}&password=x")


# --- routing: status codes both agree on (bodies differ: ours need not send Tornado HTML) ---

STATUS_CASES = [
    ("POST", "/plain/nosuch/", 404),
    ("POST", "/json/nosuch/", 404),
    ("POST", "/plain/INIFILE/", 404),
    ("POST", "/plain", 404),
    ("POST", "/plain/zeroconf/", 404),  # zeroconf is disabled by default
    ("POST", "/plain/base/", 404),
    ("POST", "/plain/ldap/", 404),
    ("POST", "/nonexistent", 404),
    ("GET", "/uccs/inifile/api/45", 404),
    ("PUT", "/plain/inifile/", 405),
    ("DELETE", "/json/inifile/", 405),
]


@pytest.mark.parametrize("method,path,status", STATUS_CASES, ids=[f"{m}-{p}" for m, p, _ in STATUS_CASES])
@behind_each_web_server
def test_status_codes(pair, method, path, status):
    ref, ours = pair(BASIC)
    body = "task=listsessions&user=foo" if method != "GET" else None
    r = ref.request(method, path, body)
    o = ours.request(method, path, body)
    assert r.status == status, f"reference changed? {r!r}"
    assert o.status == status, o


def test_invalid_utf8_is_400_in_both(pair):
    """§1.5: after percent-decoding values must be valid UTF-8, else 400."""
    ref, ours = pair(BASIC)
    for body in ("task=listsessions&user=%ff", "task=selectsession&sid=%c3%28&user=foo"):
        assert ref.post("/plain/inifile/", body).status == 400
        assert ours.post("/plain/inifile/", body).status == 400


@pytest.mark.parametrize("path", ["/pubkeys/", "/pubkeys"])
@behind_each_web_server
def test_pubkeys_without_keys(pair, path):
    """§12.1: GET /pubkeys/ (and /pubkeys) → 200, one line per broker key, empty without keys.
    (Ours serves text/plain, so only status and body are compared.)"""
    ref, ours = pair(BASIC)
    r, o = ref.get(path), ours.get(path)
    assert (r.status, r.body) == (200, b"")
    assert (o.status, o.body) == (200, b""), o


@behind_each_web_server
def test_root_page_same_bytes(pair):
    """§12.2: GET / → the 72-byte "It works" page."""
    diff(pair(BASIC), "GET", "/", None)


# --- deliberate differences (§13) ---------------------------------------------------------

@behind_each_web_server
def test_get_without_debug_is_405_reference_bug_forced_debug(pair):
    """§1.4 / §13 item 10: the reference forces debug on and answers GET with 200."""
    ref, ours = pair(BASIC)
    for path in ("/plain/inifile/?task=listsessions&user=foo", "/json/inifile/?task=listprofiles&user=foo"):
        assert ref.get(path).status == 200
        o = ours.get(path)
        assert o.status == 405, o
        assert "POST" in (o.header("Allow") or ""), o.headers


def test_post_on_root_answers_405_reference_bug_never_answers(pair):
    """§1.4 / §13 item 17: POST / makes the reference swallow the 405 and hang."""
    ref, ours = pair(BASIC)
    with pytest.raises(NoAnswer):
        ref.post("/", "x=1", timeout=2)
    o = ours.post("/", "x=1", timeout=5)
    assert o.status == 405 and "GET" in (o.header("Allow") or ""), o


def test_plain_testcon_reference_bug_ok_without_access_granted(pair):
    """§5.2 / §13 item 11: the reference answers "OK", which X2Go Client reports as
    "Login failed"; ours answers Access granted plus padding for the bandwidth estimate."""
    ref, ours = pair(BASIC)
    r = ref.post("/plain/inifile/", "task=testcon")
    assert (r.status, r.body) == (200, b"OK")
    o = ours.post("/plain/inifile/", "task=testcon")
    assert o.status == 200 and o.content_type == "text/plain; charset=utf-8", o
    assert o.body.startswith(b"Access granted\n"), o
    assert len(o.body) > len(b"Access granted\n"), "no padding for the bandwidth measurement"


def test_json_testcon_reference_bug_empty_body(pair):
    """§6.2 / §13 item 11: the reference answers an empty body; ours a JSON object with task."""
    ref, ours = pair(BASIC)
    r = ref.post("/json/inifile/", "task=testcon&user=foo")
    assert (r.status, r.body) == (200, b"")
    o = ours.post("/json/inifile/", "task=testcon&user=foo")
    assert o.status == 200 and o.content_type.startswith("text/json"), o
    doc = json.loads(o.body)
    assert doc["auth-status"] == "Access granted" and doc["task"] == "testcon", doc


def test_selectsession_checks_acl_reference_bug_no_acl_on_select(pair):
    """§4.5 / §13 item 2: the reference never checks ACLs on selectsession; ours answers a
    hidden profile exactly like an unknown one (no existence oracle)."""
    ref, ours = pair(ACL)
    body = "task=selectsession&sid=only-bar&user=foo&password=&authid="
    # the reference hands the hidden profile's server to foo
    assert ref.post("/plain/inifile/", body).body == b"Access granted\nSERVER:127.0.0.2:22\n"
    unknown = ours.post("/plain/inifile/", "task=selectsession&sid=nonexistent&user=foo&password=&authid=")
    o = ours.post("/plain/inifile/", body)
    assert o.status == 200 and o.body == unknown.body == b"Access granted\nSERVER:no-server-available:22\n", o
    # bar may select it in both
    diff((ref, ours), "POST", "/plain/inifile/", "task=selectsession&sid=only-bar&user=bar")
    oj = ours.post("/json/inifile/", "task=selectsession&profile-id=only-bar&user=foo")
    assert json.loads(oj.body)["selected_session"] == {"server": "no-server-available", "port": "22"}


def test_acl_any_order_is_used_reference_bug_ignored(pair):
    """§4.5 / §13 item 15: the reference never uses acl-any-order (a category without its own
    order behaves as deny-allow); ours uses it as the per-category default."""
    ref, ours = pair("profiles-anyorder.conf")
    body = "task=listsessions&user=foo&password=&authid="
    r = ref.post("/plain/inifile/", body)
    assert r.status == 200 and b"[any-order-allow-deny]" not in r.body and b"[plain]\n" in r.body
    o = ours.post("/plain/inifile/", body)
    assert o.status == 200 and b"[any-order-allow-deny]\n" in o.body, o
    o_bar = ours.post("/plain/inifile/", "task=listsessions&user=bar")
    assert b"[any-order-allow-deny]" not in o_bar.body and b"[plain]\n" in o_bar.body


def _bad_profile_file(name: str) -> str:
    text = open_data("profiles-badvalues.conf")
    sections = text.split("\n[")
    keep = [s for s in sections if s.startswith("good]") or s.startswith(name + "]")]
    return "[" + "\n[".join(keep) + "\n"


@pytest.mark.parametrize("bad", ["bad-bool", "bad-int", "bad-sshport-notset"])
def test_reference_bug_500_on_one_bad_profile_value(reference_broker, bad):
    """§13 item 17: one invalid value makes the reference answer 500 to every listing of the
    file. Ours leaves only that profile out (test_ours_bad_values_* below)."""
    ref = reference_broker(CONFIG, BASIC)
    # The reference re-reads its profile file on every request (§1.1).
    ref.profiles_path.write_text(_bad_profile_file(bad), encoding="utf-8")
    try:
        assert ref.post("/plain/inifile/", "task=listsessions&user=foo").status == 500
    finally:
        ref.profiles_path.write_text(open_data(BASIC), encoding="utf-8")


@pytest.fixture
def ours_badvalues(our_broker):
    return our_broker(CONFIG, "profiles-badvalues.conf")


def test_ours_bad_values_only_good_profile_listed(ours_badvalues):
    o = ours_badvalues.post("/plain/inifile/", "task=listsessions&user=foo&password=&authid=")
    assert o.status == 200, o
    sections = [ln for ln in o.body.split(b"\n") if ln.startswith(b"[")]
    assert sections == [b"[good]"], o.body[:500]
    j = ours_badvalues.post("/json/inifile/", "task=listprofiles&user=foo")
    assert list(json.loads(j.body)["profiles"]) == ["good"]


@pytest.mark.parametrize("bad", ["bad-bool", "bad-int", "bad-sshport-notset", "bad-list-expression"])
def test_ours_bad_profile_is_unknown_to_selectsession(ours_badvalues, bad):
    o = ours_badvalues.post("/plain/inifile/", f"task=selectsession&sid={bad}&user=foo")
    assert (o.status, o.body) == (200, b"Access granted\nSERVER:no-server-available:22\n"), o


def test_ours_bad_values_logged_with_file_and_line(ours_badvalues):
    """Broken-configuration policy (§13): each bad profile is logged with file:line (the
    line of its section header or of the bad value)."""
    log = ours_badvalues.log_text()
    lines = open_data("profiles-badvalues.conf").splitlines()
    for section, key in (("bad-bool", "fullscreen="), ("bad-int", "width="),
                         ("bad-sshport-notset", "sshport="), ("bad-list-expression", "host=")):
        head = lines.index(f"[{section}]") + 1
        value = next(i + 1 for i in range(head, len(lines)) if lines[i].startswith(key))
        assert (f"sessionprofiles.conf:{head}" in log or f"sessionprofiles.conf:{value}" in log), (
            f"no log line names sessionprofiles.conf:{head} or :{value} ({section})\n{log[-3000:]}")


def test_reference_bug_list_literal_is_evaluated(reference_broker):
    """§2.2 / §13 item 12: the reference evaluates [...] as Python (here: host=42). Ours
    leaves such a profile out (test_ours_bad_profile_is_unknown_to_selectsession)."""
    ref = reference_broker(CONFIG, BASIC)
    ref.profiles_path.write_text("[calc]\nhost=[str(6*7)]\n", encoding="utf-8")
    try:
        r = ref.post("/plain/inifile/", "task=listsessions&user=foo")
        assert r.status == 200 and b"\nhost=42\n" in r.body, r
    finally:
        ref.profiles_path.write_text(open_data(BASIC), encoding="utf-8")


def test_unusable_alias_leaves_profile_out_reference_keeps_it(reference_broker, our_broker):
    """§3.5: an IP address cannot be an alias name; the reference silently renders the name
    part only (host=127.0.0.1) and selects it. Our policy (§13, "an unusable host alias"):
    the profile is left out and logged with file:line."""
    profiles = ("[unaliased-ip]\nname=IP cannot be an alias name\nhost=127.0.0.1 (10.0.0.1)\n\n"
                "[ok]\nname=OK\nhost=127.0.0.1\n")
    ref, ours = reference_broker(CONFIG, profiles), our_broker(CONFIG, profiles)
    r = ref.post("/plain/inifile/", "task=listsessions&user=foo")
    assert b"[unaliased-ip]\nname=IP cannot be an alias name\nhost=127.0.0.1\n" in r.body, r
    assert ref.post("/plain/inifile/", "task=selectsession&sid=unaliased-ip&user=foo").body == \
        b"Access granted\nSERVER:127.0.0.1:22\n"
    o = ours.post("/plain/inifile/", "task=listsessions&user=foo")
    assert o.status == 200 and b"[unaliased-ip]" not in o.body and b"[ok]\n" in o.body, o
    assert ours.post("/plain/inifile/", "task=selectsession&sid=unaliased-ip&user=foo").body == \
        b"Access granted\nSERVER:no-server-available:22\n"
    assert "sessionprofiles.conf:3" in ours.log_text() or "sessionprofiles.conf:1" in ours.log_text()


def test_not_set_removes_any_key_reference_bug_500_for_bool(reference_broker, our_broker):
    """§3.3: `not-set` on a bool key makes the reference fail with 500 and on a list key it
    yields the one-item list `not-set`; ours removes any key set to `not-set`."""
    profiles = "[a]\nname=A\nhost=127.0.0.1\nfullscreen=not-set\napplications=not-set\n"
    ref = reference_broker(CONFIG, BASIC)
    ref.profiles_path.write_text("[a]\nhost=127.0.0.1\nfullscreen=not-set\n", encoding="utf-8")
    try:
        assert ref.post("/plain/inifile/", "task=listsessions&user=foo").status == 500
        ref.profiles_path.write_text("[a]\nhost=127.0.0.1\napplications=not-set\n", encoding="utf-8")
        assert b"\napplications=not-set\n" in ref.post("/plain/inifile/", "task=listsessions&user=foo").body
    finally:
        ref.profiles_path.write_text(open_data(BASIC), encoding="utf-8")
    ours = our_broker(CONFIG, profiles)
    o = ours.post("/plain/inifile/", "task=listsessions&user=foo")
    assert o.status == 200 and b"[a]\n" in o.body, o
    assert b"\nfullscreen=" not in o.body and b"\napplications=" not in o.body, o.body
    j = json.loads(ours.post("/json/inifile/", "task=listprofiles&user=foo").body)
    assert "fullscreen" not in j["profiles"]["a"] and "applications" not in j["profiles"]["a"]


def test_list_literal_of_strings_is_accepted(pair):
    """§2.2: ours parses ['a', "b"] safely; the reference's eval gives the same list."""
    diff(pair(RICH), "POST", "/plain/inifile/", "task=selectsession&sid=listval&user=foo")


def test_duplicate_section_503_reference_bug_500(reference_broker, our_broker):
    """§2.2 / §13 policy: an unparsable profile file makes that backend answer 503 (the
    reference: 500 on every request); / keeps working."""
    ref = reference_broker(CONFIG, BASIC)
    ref.profiles_path.write_text(open_data("profiles-duplicate.conf"), encoding="utf-8")
    try:
        assert ref.post("/plain/inifile/", "task=listsessions&user=foo").status == 500
    finally:
        ref.profiles_path.write_text(open_data(BASIC), encoding="utf-8")
    ours = our_broker(CONFIG, "profiles-duplicate.conf")
    assert ours.post("/plain/inifile/", "task=listsessions&user=foo").status == 503
    assert ours.post("/json/inifile/", "task=listprofiles&user=foo").status == 503
    assert ours.get("/").status == 200


@pytest.mark.parametrize("user", ["a%0Ab", "a%01b", "a%00b"], ids=["LF", "SOH", "NUL"])
def test_control_chars_in_user_rejected_reference_bug_ini_injection(pair, user):
    """§1.5 / §13 item 18: the reference copies LF in `user` into the plain output (an INI
    injection) and turns other control characters into spaces; ours rejects them with 400."""
    ref, ours = pair(BASIC)
    body = f"task=listsessions&user={user}&password=&authid="
    r = ref.post("/plain/inifile/", body)
    assert r.status == 200
    if user == "a%0Ab":
        assert b"\nuser=a\nb\n" in r.body
    else:
        assert b"\nuser=a b\n" in r.body
    o = ours.post("/plain/inifile/", body)
    assert o.status == 400, o


def test_control_chars_in_login_rejected(pair):
    ref, ours = pair(BASIC)
    o = ours.post("/plain/inifile/", "task=selectsession&sid=alpha&user=foo&login=fo%0Ao")
    assert o.status == 400, o
