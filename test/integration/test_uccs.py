# SPDX-License-Identifier: AGPL-3.0-or-later
"""UCCS (PROTOCOL.md §7) through real nginx, with the reference as oracle where it works.

The reference serves anonymous UCCS correctly; with an Authorization header it closes the
connection without an answer (§7 item 3) and it treats any API digit as 5. Ours decodes Basic
credentials, checks them with the backend's mechanism, and answers 404 for versions other than
4 and 5. Profiles are single-host so that the random host choice cannot differ.
"""

from __future__ import annotations

import base64

import pytest

from harness import NoAnswer

UCCS_NOAUTH = """[global]
require-password = false
require-cookie = false
default-auth-mech = none
default-agent-query-mode = NONE
default-portscan-x2goservers = false
enable-uccs-output = true
my-uccs-url-base = http://broker.example.org:8080/
"""

UCCS_AUTH = UCCS_NOAUTH.replace("require-password = false", "require-password = true")

PROFILES = """[alias]
name=Alias hosts
host=ts02 (10.0.2.12:2222)
command=mate

[rdp]
name=RDP thing
host=rdp.example.org
directrdp=true

[zeta]
name=Zeta published apps
host=localhost
command=xterm
"""


def basic(user: str, password: str) -> dict:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.mark.parametrize("path", ["/uccs/inifile/api/5", "/uccs/inifile/api/4", "/uccs/inifile/api/5/"])
def test_anonymous_document_is_byte_identical(reference_broker, our_broker, path):
    ref, ours = reference_broker(UCCS_NOAUTH, PROFILES), our_broker(UCCS_NOAUTH, PROFILES)
    r, o = ref.get(path), ours.get(path)
    assert r.status == 200, r
    assert (o.status, o.content_type, o.body) == (r.status, r.content_type, r.body)
    assert b'"Username": "anonymous"' in o.body
    assert b'"URL": "http://10.0.2.12:2222/"' in o.body


def test_uccs_disabled_is_404_on_both(reference_broker, our_broker):
    config = UCCS_NOAUTH.replace("enable-uccs-output = true", "enable-uccs-output = false")
    for broker in (reference_broker(config, PROFILES), our_broker(config, PROFILES)):
        assert broker.get("/uccs/inifile/api/5").status == 404


def test_api_version_other_than_4_or_5_is_404_reference_bug_treats_it_as_5(reference_broker, our_broker):
    """§13 row 21: the reference answers API 3 with the API 5 document."""
    assert reference_broker(UCCS_NOAUTH, PROFILES).get("/uccs/inifile/api/3").status == 200
    assert our_broker(UCCS_NOAUTH, PROFILES).get("/uccs/inifile/api/3").status == 404


def test_basic_auth_works_reference_bug_empty_reply(reference_broker, our_broker):
    """§7 item 3 / §13 row 20: any Authorization header makes the reference close the
    connection without an answer; ours checks the credentials (auth mech `none` here)."""
    ref = reference_broker(UCCS_AUTH, PROFILES)
    with pytest.raises((NoAnswer, ConnectionError)):
        ref.get("/uccs/inifile/api/5", headers=basic("alice", "pw"))
    ours = our_broker(UCCS_AUTH, PROFILES)
    r = ours.get("/uccs/inifile/api/5", headers=basic("alice", "pa:ss"))
    assert r.status == 200, r
    assert b'"Username": "alice"' in r.body


def test_missing_credentials_get_a_basic_challenge(our_broker):
    ours = our_broker(UCCS_AUTH, PROFILES)
    r = ours.get("/uccs/inifile/api/5")
    assert r.status == 401
    assert r.header("WWW-Authenticate") == 'Basic realm="Authentication required"'
    r = ours.get("/uccs/inifile/api/5", headers={"Authorization": "Basic !!!"})
    assert r.status == 401


def test_ping_head_on_both(reference_broker, our_broker):
    for broker in (reference_broker(UCCS_NOAUTH, PROFILES), our_broker(UCCS_NOAUTH, PROFILES)):
        r = broker.request("HEAD", "/uccs/inifile/")
        assert r.status == 200
        assert r.header("Content-Length") == "26"
