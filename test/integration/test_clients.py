# SPDX-License-Identifier: AGPL-3.0-or-later
"""The real clients, headless, against our broker (PROTOCOL.md §14.3, §14.4); the same runs
against the reference prove that the expectations are the clients' and not ours.

pyhoca-cli (Python X2Go, JSON protocol) and X2Go Client 4.1.2.2 (Qt, plain protocol) connect
to the SSH server named in the broker's answer; nothing listens there (or it is refused), which
ends the run after the broker's answer has been parsed and logged.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

import harness

CONFIG = "noauth.conf"
PYHOCA = "/usr/bin/pyhoca-cli"
X2GOCLIENT = "/usr/bin/x2goclient"

needs_pyhoca = pytest.mark.skipif(not Path(PYHOCA).exists(), reason="pyhoca-cli not installed (apt-get install pyhoca-cli)")
needs_x2goclient = pytest.mark.skipif(not Path(X2GOCLIENT).exists(), reason="x2goclient not installed (apt-get install x2goclient)")


@pytest.fixture
def client_home():
    d = Path(tempfile.mkdtemp(prefix="x2gobroker-it-client-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


# --- pyhoca-cli (§14.3) ------------------------------------------------------------------

@needs_pyhoca
def test_pyhoca_list_profiles(any_broker, client_home):
    b = any_broker(CONFIG, "profiles-pyhoca.conf")
    p = harness.run_pyhoca(["--broker-url", b.url("/json/inifile/", user="foo"), "--list-profiles"], client_home)
    out = p.stdout.decode(errors="replace")
    ids = re.findall(r"^Profile ID: (.*)$", out, re.M)
    names = re.findall(r"^Profile Name: (.*)$", out, re.M)
    assert ids == ["alpha", "pool-b"], out[-3000:]
    assert names == ["Alpha Terminal", "Pool B"], out[-3000:]
    assert "Traceback" not in out, out[-3000:]


@needs_pyhoca
@pytest.mark.parametrize("profile,target", [("alpha", "[127.0.0.1]:22"), ("pool-b", "[127.0.0.2]:2222"),
                                            ("Pool B", "[127.0.0.2]:2222")])
def test_pyhoca_select_profile(any_broker, client_home, profile, target):
    """-P by id or name → selectsession, then SSH to selected_session server/port."""
    b = any_broker(CONFIG, "profiles-pyhoca.conf")
    p = harness.run_pyhoca(["--broker-url", b.url("/json/inifile/", user="foo"), "-P", profile,
                            "--password", "x", "--auth-attempts", "1"], client_home)
    out = p.stdout.decode(errors="replace")
    assert f"connecting to {target}" in out, out[-3000:]
    assert "Traceback" not in out, out[-3000:]


# --- X2Go Client offscreen (§14.4) ----------------------------------------------------------

X2GO_DONE = ["Server port:"]


@needs_x2goclient
def test_x2goclient_sessionid(any_broker, client_home):
    b = any_broker(CONFIG, "profiles-basic.conf")
    log = harness.run_x2goclient(
        ["--debug", "--no-menu", f"--broker-url={b.url('/plain/inifile/', user='foo')}", "--broker-noauth",
         "--sessionid=alpha"], client_home, client_home / "xc.log", X2GO_DONE)
    assert 'sending request: "task=listsessions&user=foo&password=********&authid="' in log, log[-3000:]
    assert "Reading 3 sessions from config file." in log, log[-3000:]
    assert 'sending request: "task=selectsession&sid=alpha&user=foo&password=********&authid=&login=foo"' in log, log[-3000:]
    assert 'Server IP address: "127.0.0.1"' in log, log[-3000:]
    assert 'Server port: "22"' in log, log[-3000:]
    assert "Login failed" not in log


@needs_x2goclient
def test_x2goclient_unicode_profile(any_broker, client_home):
    """A profile id with a space travels unencoded (§5.1: `sid=utf8 prof`); UTF-8 in values.
    (A non-ASCII id cannot be selected with --sessionid: QSettings reads the group names
    without a codec, §5.4.)"""
    profiles = ("[utf8 prof]\nname=Ünïcode\nhost=127.0.0.3\nsshport=2222\nusebrokerpass=true\n\n"
                "[other]\nname=Other\nhost=127.0.0.1\n")
    b = any_broker(CONFIG, profiles)
    log = harness.run_x2goclient(
        ["--debug", "--no-menu", f"--broker-url={b.url('/plain/inifile/', user='foo')}", "--broker-noauth",
         "--sessionid=utf8 prof"], client_home, client_home / "xc.log", X2GO_DONE)
    assert "Reading 2 sessions from config file." in log, log[-3000:]
    assert 'sending request: "task=selectsession&sid=utf8 prof&user=foo' in log, log[-3000:]
    assert 'Server IP address: "127.0.0.3"' in log, log[-3000:]
    assert 'Server port: "2222"' in log, log[-3000:]

