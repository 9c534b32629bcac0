# SPDX-License-Identifier: AGPL-3.0-or-later
"""Routing and hostile input against OUR broker behind nginx and behind Apache httpd 2.4
(mod_proxy_fcgi at its defaults; PROTOCOL.md §1.2-§1.5, §12.2, §13). Where a fact is shared with
the reference, test_differential.py compares both."""

from __future__ import annotations

import re
import subprocess

import pytest

import harness

CONFIG = "noauth.conf"
BASIC = "profiles-basic.conf"

# Every test that uses our broker runs behind each (conftest.py): ids [nginx-...], [apache-...].
pytestmark = pytest.mark.web_servers(*harness.WEB_SERVERS)

IT_WORKS = b"<body><html><h1>X2Go Session Broker</h1><p>It works...</p></body></html>"


@pytest.fixture
def ours(our_broker):
    return our_broker(CONFIG, BASIC)


def assert_short_text_error(resp: harness.Response, status: int) -> None:
    """Errors we produce ourselves: the status, and a short one-line body that is not an echo
    of the input and carries no internal message."""
    assert resp.status == status, resp
    body = resp.body
    assert len(body) < 200, resp
    assert body.count(b"\n") <= 1 and not body.rstrip(b"\n").count(b"\n"), resp
    if status in (400, 413):
        assert (resp.content_type or "").startswith("text/plain"), resp


def test_root_it_works_page(any_broker):
    """§12.2: GET / → 200, text/html; charset=UTF-8, 72 bytes, tags in the shipped wrong order."""
    r = any_broker(CONFIG, BASIC).get("/")
    assert r.status == 200
    assert r.content_type == "text/html; charset=UTF-8"
    assert r.body == IT_WORKS and len(r.body) == 72


@pytest.mark.parametrize("path", [
    "/plain/nosuch/", "/json/nosuch/", "/plain/INIFILE/", "/plain", "/json", "/nonexistent",
    "/plain/base/", "/plain/ldap/", "/plain/zeroconf/", "/json/zeroconf/",
    "/plain/inifile_broker%3Bimport%20os%3Bos.system(%27true%27)%23/",  # §13 item 1 (exec injection)
    "/plain/../plain/x/",
])
def test_unknown_or_disabled_backend_is_404(ours, path):
    r = ours.post(path, "task=listsessions&user=foo")
    assert r.status == 404, r
    assert b"Access granted" not in r.body


def test_frontend_disabled_is_404(our_broker):
    """§1.2 step 2: enable-plain-output / enable-json-output false → 404."""
    cfg = harness.read_data(CONFIG) + "enable-json-output = false\n"
    b = our_broker(cfg, BASIC)
    assert b.post("/json/inifile/", "task=listprofiles&user=foo").status == 404
    assert b.post("/plain/inifile/", "task=listsessions&user=foo").status == 200
    cfg = harness.read_data(CONFIG) + "enable-plain-output = false\n"
    b = our_broker(cfg, BASIC)
    assert b.post("/plain/inifile/", "task=listsessions&user=foo").status == 404
    assert b.post("/json/inifile/", "task=listprofiles&user=foo").status == 200


def test_backend_disabled_is_404(our_broker):
    """§1.2 step 3: [broker_inifile] enable = false → 404."""
    cfg = harness.read_data(CONFIG) + "\n[broker_inifile]\nenable = false\n"
    b = our_broker(cfg, BASIC)
    assert b.post("/plain/inifile/", "task=listsessions&user=foo").status == 404
    assert b.get("/").status == 200


@pytest.mark.parametrize("path", [
    "/plain/ini%66ile/", "/%70lain/inifile/",  # escapes decoded (%2F: Apache's own 404)
    "/plain//inifile/", "/plain/./inifile/", "/json/../plain/inifile/",  # path normalised
])
def test_route_is_found_in_the_decoded_normalised_path(ours, path):
    """The web server decodes and normalises the path (nginx: DOCUMENT_URI, Apache:
    SCRIPT_NAME); the broker routes on that, never on the raw REQUEST_URI."""
    r = ours.post(path, "task=selectsession&sid=alpha&user=foo")
    assert (r.status, r.body) == (200, b"Access granted\nSERVER:127.0.0.1:22\n"), r


@pytest.mark.parametrize("path", ["/uccs/", "/uccs/inifile/"])
def test_uccs_ping_head(ours, path):
    """§7: HEAD /uccs/[<letters>/] → 200 (Arctica Greeter's liveness check)."""
    r = ours.request("HEAD", path)
    assert (r.status, r.body) == (200, b""), r


@pytest.mark.parametrize("path", ["/plain/inifile/", "/json/inifile/", "/plain/"])
def test_get_without_debug_is_405_with_allow(ours, path):
    """§1.4: GET only in explicit debug mode, otherwise 405 with Allow: POST."""
    r = ours.get(path + "?task=listsessions&user=foo")
    assert r.status == 405, r
    assert "POST" in [m.strip() for m in (r.header("Allow") or "").split(",")], r.headers
    assert b"START_USER_SESSIONS" not in r.body


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_405_with_allow(ours, method):
    r = ours.request(method, "/plain/inifile/", "task=listsessions&user=foo")
    assert r.status == 405, r
    assert "POST" in (r.header("Allow") or ""), r.headers


@pytest.mark.parametrize("method,path", [("POST", "/"), ("PUT", "/"), ("POST", "/pubkeys/"), ("POST", "/uccs/")])
def test_wrong_method_on_get_routes_is_405_not_a_hang(ours, method, path):
    """§1.4 / §13 item 17: the reference never answers these; ours: 405 with Allow, at once."""
    r = ours.request(method, path, "x=1", timeout=5)
    assert r.status == 405, r
    assert r.header("Allow"), r.headers


def test_body_at_the_cap_is_accepted(ours):
    """64 KiB (core/http.h kMaxBodyBytes) is the largest body we read."""
    head = b"task=selectsession&sid=alpha&user=foo&pad="
    body = head + b"x" * (64 * 1024 - len(head))
    assert len(body) == 65536
    r = ours.post("/plain/inifile/", body)
    assert (r.status, r.body) == (200, b"Access granted\nSERVER:127.0.0.1:22\n"), r


@pytest.mark.parametrize("size", [64 * 1024 + 1, 1024 * 1024, 3 * 1024 * 1024])
def test_body_over_64k_is_413(ours, size):
    """§1.5: a small body cap → 413 (the reference accepts up to 100 MB)."""
    head = b"task=listsessions&user=foo&pad="
    body = head + b"x" * (size - len(head))
    r = ours.post("/plain/inifile/", body, timeout=30)
    assert r.status == 413, r
    assert b"START_USER_SESSIONS" not in r.body
    assert ours.post("/plain/inifile/", "task=selectsession&sid=alpha&user=foo").status == 200


def test_broker_itself_caps_the_body_at_64k(our_broker):
    """The cap is the broker's own (core/http.h kMaxBodyBytes), not only nginx's
    client_max_body_size: behind a front-end that lets 1 MiB through, 64 KiB + 1 is still 413.
    (Apache 2.4 does not apply LimitRequestBody to proxied requests at all.)"""
    template = harness.NGINX_TEMPLATE if harness.NGINX_TEMPLATE.exists() else harness.NGINX_FALLBACK_TEMPLATE
    text = template.read_text()
    text = re.sub(r"client_max_body_size\s+[^;]+;", "client_max_body_size 1m;", text)
    if "client_max_body_size" not in text:
        text = text.replace("http {", "http {\n    client_max_body_size 1m;", 1)
    snippet = re.sub(r"LimitRequestBody\s+\d+", "LimitRequestBody 1048576", harness.APACHE_SNIPPET.read_text())
    b = our_broker(CONFIG, BASIC, nginx_template=text, apache_snippet=snippet)
    head = b"task=listsessions&user=foo&pad="
    r = b.post("/plain/inifile/", head + b"x" * (64 * 1024 + 1 - len(head)))
    assert r.status == 413, r
    assert b"START_USER_SESSIONS" not in r.body
    ok = b"task=selectsession&sid=alpha&user=foo&pad="
    r = b.post("/plain/inifile/", ok + b"x" * (64 * 1024 - len(ok)))
    assert (r.status, r.body) == (200, b"Access granted\nSERVER:127.0.0.1:22\n"), r


BAD_INPUT = [
    ("bad-escape-zz", b"task=listsessions&user=%zz"),
    ("bad-escape-truncated", b"task=listsessions&user=foo%4"),
    ("bad-escape-at-end", b"task=listsessions&user=foo%"),
    ("invalid-utf8-ff", b"task=listsessions&user=%ff"),
    ("invalid-utf8-overlong", b"task=listsessions&user=%c0%af"),
    ("invalid-utf8-surrogate", b"task=listsessions&user=%ed%a0%80"),
    ("invalid-utf8-raw-byte", b"task=listsessions&user=f\xffo"),
    ("invalid-utf8-in-sid", b"task=selectsession&sid=%c3%28&user=foo"),
    ("nul-in-user-escaped", b"task=listsessions&user=a%00b"),
    ("nul-in-user-raw", b"task=listsessions&user=a\x00b"),
    ("nul-in-login", b"task=selectsession&sid=alpha&user=foo&login=fo%00o"),
    ("lf-in-user", b"task=listsessions&user=a%0Ab"),
]


@pytest.mark.parametrize("name,body", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
@pytest.mark.parametrize("frontend", ["plain", "json"])
def test_bad_input_is_400_with_one_line_text(ours, name, body, frontend):
    r = ours.post(f"/{frontend}/inifile/", body)
    assert_short_text_error(r, 400)
    assert b"Access granted" not in r.body
    # the offending input is not echoed back
    assert b"%zz" not in r.body and b"\xff" not in r.body


def test_bad_input_does_not_poison_the_worker(ours):
    for _, body in BAD_INPUT:
        ours.post("/plain/inifile/", body)
    r = ours.post("/plain/inifile/", "task=selectsession&sid=alpha&user=foo")
    assert (r.status, r.body) == (200, b"Access granted\nSERVER:127.0.0.1:22\n")


@pytest.mark.parametrize("task", ["setpass", "clientevent", "nonsense", "LISTSESSIONS", "listprofiles"])
def test_unknown_task_answers_access_part_only_plain(any_broker, task):
    """§5.2: no task or an unknown one → only the access prefix (no cookie here)."""
    r = any_broker(CONFIG, BASIC).post("/plain/inifile/", f"task={task}&user=foo&password=bar&authid=")
    assert (r.status, r.content_type, r.body) == (200, "text/plain; charset=utf-8", b"Access granted\n"), r


def test_unknown_task_is_echoed_json(any_broker):
    """§6.2: unknown tasks are echoed in `task`."""
    r = any_broker(CONFIG, BASIC).post("/json/inifile/", "task=setpass&user=foo")
    assert r.status == 200 and r.content_type == "text/json; charset=utf-8"
    assert r.body == b'{\n    "auth-status": "Access granted",\n    "task": "setpass"\n}'


def test_password_is_never_logged(ours):
    """§13 item 28: the password must not reach any log, whatever the request."""
    secret = "SECRETPW123"
    bodies = [
        f"task=listsessions&user=foo&password={secret}&authid=",
        f"task=selectsession&sid=alpha&user=foo&password={secret}&authid=&login=foo",
        f"task=selectsession&sid=nonexistent&user=foo&password={secret}",
        f"user=foo&password={secret}",
        f"task=testcon&password={secret}",
        f"task=setpass&newpass={secret}x&user=foo&password={secret}&authid=",
        f"task=listsessions&user=%ff&password={secret}",           # 400 path
        f"task=listsessions&user=a%0Ab&password={secret}",          # 400 path
        f"task=listsessions&user=foo&password={secret}&x=%zz",      # 400 path
    ]
    for b in bodies:
        ours.post("/plain/inifile/", b)
        ours.post("/json/inifile/", b)
        ours.post("/plain/nosuch/", b)
    ours.post("/plain/inifile/", f"task=listsessions&user=foo&password={secret}&pad=" + "x" * 70000)
    ours.request("GET", f"/plain/inifile/?task=listsessions&user=foo&password={secret}")
    for p in ours.all_log_paths():
        text = p.read_text(errors="replace")
        assert secret not in text, f"password found in {p}"


def test_broker_logs_requests_at_all(ours):
    """Sanity for test_password_is_never_logged: the broker does log something per request,
    so "not in the log" means something."""
    before = ours.log_size()
    ours.post("/plain/inifile/", "task=listsessions&user=logcheckuser&password=x")
    ours.post("/plain/inifile/", "task=listsessions&user=%ff")
    assert harness.wait_until(lambda: ours.log_size() > before, 2.0), "the broker logs nothing at all"


# --- prefix mount (nginx/x2gobroker-prefix.conf, apache/x2gobroker-prefix.conf:
#     /x2gobroker/plain/inifile/) -------------------------------------------------------------

def _prefix_nginx_template() -> str:
    snippet_path = harness.NGINX_PREFIX_SNIPPET
    if not snippet_path.exists():
        pytest.fail(f"{snippet_path} does not exist yet")
    snippet = snippet_path.read_text()
    # The snippet names a deployment socket; point it at the test one.
    snippet = re.sub(r"unix:[^;\s]+", "unix:@SOCKET@", snippet)
    base = harness.NGINX_TEMPLATE if harness.NGINX_TEMPLATE.exists() else harness.NGINX_FALLBACK_TEMPLATE
    fallback = base.read_text()
    if re.search(r"^\s*server\s*\{", snippet, re.M):
        # a complete server block: use it instead of ours
        server = re.sub(r"(\blisten\s+)[^;]+;", r"\g<1>@LISTEN@;", snippet, count=1)
        return re.sub(r"\n    server \{.*\n    \}\n", "\n" + server + "\n", fallback, flags=re.S)
    # a location snippet: put it into the server block next to nothing else
    return re.sub(r"        location / \{.*?\n        \}\n", snippet + "\n", fallback, flags=re.S)


def _prefix_apache_snippet() -> str:
    if not harness.APACHE_PREFIX_SNIPPET.exists():
        pytest.fail(f"{harness.APACHE_PREFIX_SNIPPET} does not exist yet")
    return harness.APACHE_PREFIX_SNIPPET.read_text()


def test_prefix_mount(our_broker):
    b = our_broker(CONFIG, BASIC, nginx_template=_prefix_nginx_template(),
                   apache_snippet=_prefix_apache_snippet())
    r = b.post("/x2gobroker/plain/inifile/", "task=selectsession&sid=alpha&user=foo")
    assert (r.status, r.body) == (200, b"Access granted\nSERVER:127.0.0.1:22\n"), r
    r = b.post("/x2gobroker/json/inifile/", "task=selectsession&profile-id=alpha&user=foo")
    assert r.status == 200 and b'"server": "127.0.0.1"' in r.body, r
    r = b.post("/x2gobroker/plain/", "task=listsessions&user=foo")
    assert r.status == 200 and b"[alpha]\n" in r.body, r
    assert b.post("/x2gobroker/plain/nosuch/", "task=listsessions&user=foo").status == 404
    r = b.get("/x2gobroker/")
    assert (r.status, r.body) == (200, IT_WORKS), r
    r = b.post("/x2gobroker/plain/ini%66ile/", "task=selectsession&sid=alpha&user=foo")
    assert (r.status, r.body) == (200, b"Access granted\nSERVER:127.0.0.1:22\n"), r
    r = b.request("HEAD", "/x2gobroker/uccs/")
    assert r.status == 200, r
    assert b.post("/x2gobroker/nonexistent", "task=listsessions&user=foo").status == 404


# --- start-up -------------------------------------------------------------------------------

def test_broken_config_refuses_to_start_with_file_and_line(tmp_path):
    """§13 policy: x2gobroker.conf invalid at start-up → exit non-zero, print file:line."""
    if not harness.OUR_BROKER.exists():
        pytest.fail(f"{harness.OUR_BROKER} missing")
    conf = tmp_path / "broken.conf"
    conf.write_text("[global]\nrequire-password = false\nrequire-cookie = maybe\n")
    sock = tmp_path / "s.sock"
    p = subprocess.run(["spawn-fcgi", "-n", "-s", str(sock), "--", str(harness.OUR_BROKER), "-C", str(conf)],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=30,
                       env=harness._clean_env({"HOME": str(tmp_path)}))
    out = (p.stdout + p.stderr).decode(errors="replace")
    assert p.returncode != 0, out
    assert "broken.conf:3" in out, out


def test_missing_profile_file_does_not_stop_other_routes(our_broker):
    """A profile file that cannot be read: the process starts, / works."""
    b = our_broker(CONFIG, None)  # session-profiles points at a file that does not exist
    assert b.get("/").status == 200
    r = b.post("/plain/inifile/", "task=listsessions&user=foo")
    assert r.status in (200, 503), r
