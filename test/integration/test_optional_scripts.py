# SPDX-License-Identifier: AGPL-3.0-or-later
"""Optional scripts (PROTOCOL.md §1.7; issue 5 item 3): external programs fed the request's
fields as JSON on stdin, answering changed fields as JSON on stdout, through our real broker
behind nginx. Uses the shipped example examples/optional-scripts/lowercase-username.

The reference imports Python modules by name instead; a config naming such a module gets a
start-up warning from ours and the module is ignored.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import harness

EXAMPLE = harness.REPO / "examples" / "optional-scripts" / "lowercase-username"
PROFILES = "[desk]\nname=Desk\nhost=127.0.0.5\nuser=BROKER_USER\n"
LIST = "task=listsessions&user={user}&password=&authid="
SELECT = "task=selectsession&sid=desk&user={user}&password=&authid="


def config(**keys: str) -> str:
    extra = "".join(f"{k} = {v}\n" for k, v in keys.items())
    return harness.read_data("noauth.conf") + extra


def script(tmp_dir: Path, name: str, body: str) -> Path:
    path = tmp_dir / name
    path.write_text("#!/usr/bin/python3\nimport json, sys, time\n" + textwrap.dedent(body))
    path.chmod(0o755)
    return path


@pytest.fixture
def scripts_dir():
    d = harness.make_run_dir("x2gobroker-it-scripts-")
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_pre_auth_example_lowercases_the_user(our_broker):
    b = our_broker(config(pre_auth_scripts=str(EXAMPLE)), PROFILES, fresh=True)
    r = b.post("/plain/inifile/", LIST.format(user="FooBar"))
    assert r.status == 200, r
    assert "\nuser=foobar\n" in r.text, r.text
    assert b.wait_for_log('user="foobar"'), b.log_text()[-2000:]


def test_post_auth_can_deny_and_select_session_can_rewrite_the_server(our_broker, scripts_dir):
    deny_mallory = script(scripts_dir, "deny-mallory", """
        f = json.load(sys.stdin)
        if f["stage"] != "post_auth" or not f["authed"]: sys.exit(3)
        if f["username"] == "mallory": print(json.dumps({"authed": False}))
    """)
    via_gateway = script(scripts_dir, "via-gateway", """
        f = json.load(sys.stdin)
        print(json.dumps({"server": "gw-" + f["server"]}))
    """)
    b = our_broker(config(post_auth_scripts=str(deny_mallory), select_session_scripts=str(via_gateway)),
                   PROFILES, fresh=True)
    assert b.post("/plain/inifile/", LIST.format(user="mallory")).status == 401
    r = b.post("/plain/inifile/", SELECT.format(user="alice"))
    assert r.status == 200 and r.text == "Access granted\nSERVER:gw-127.0.0.5:22\n", r


@pytest.mark.parametrize("policy", ["deny", "continue"])
@pytest.mark.parametrize("kind", ["timeout", "crash", "garbage", "wrong-type"])
def test_failing_script_follows_the_policy(our_broker, scripts_dir, policy, kind):
    bodies = {
        "timeout": "time.sleep(30)\n",
        "crash": "raise SystemExit(1)\n",
        "garbage": "print('not json')\n",
        "wrong-type": "print(json.dumps({'username': 42}))\n",
    }
    bad = script(scripts_dir, f"bad-{kind}", "json.load(sys.stdin)\n" + bodies[kind])
    b = our_broker(config(pre_auth_scripts=str(bad), **{"optional-scripts-timeout": "1",
                                                         "optional-scripts-on-failure": policy}),
                   PROFILES, fresh=True)
    r = b.post("/plain/inifile/", LIST.format(user="alice"), timeout=20)
    if policy == "deny":
        assert r.status == 403, r
    else:
        assert r.status == 200 and "\nuser=alice\n" in r.text, r
    assert b.wait_for_log(f"pre_auth script {bad} failed"), b.log_text()[-2000:]


def test_password_reaches_the_script_but_never_the_log(our_broker, scripts_dir):
    seen = scripts_dir / "seen"
    spy = script(scripts_dir, "spy", f"""
        f = json.load(sys.stdin)
        open({str(seen)!r}, "w").write(f["password"])
        print("oops")
    """)
    b = our_broker(config(pre_auth_scripts=str(spy)), PROFILES, fresh=True)
    r = b.post("/plain/inifile/", "task=listsessions&user=alice&password=Sekr1t-pw&authid=")
    assert r.status == 403
    assert seen.read_text() == "Sekr1t-pw"
    assert b.wait_for_log("pre_auth script")
    assert "Sekr1t-pw" not in b.log_text()


def test_python_module_names_are_reported_and_ignored(our_broker):
    b = our_broker(config(pre_auth_scripts="authorized_users"), PROFILES, fresh=True)
    assert b.post("/plain/inifile/", LIST.format(user="alice")).status == 200
    assert "Python module names are not supported" in b.log_text()
