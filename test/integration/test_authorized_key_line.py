# SPDX-License-Identifier: AGPL-3.0-or-later
"""The authorized_keys line of our autologin keys (PROTOCOL.md §9.7) against the REAL OpenSSH
sshd and the REAL Debian x2gobroker-agent of the test farm (test/farm/).

`authorized_key_line()` below rebuilds, independently in Python, the format that
core/ssh_public_key.cc's AuthorizedKeyLine() produces:

    <fixed options>[,from="<ip>"][,expiry-time="YYYYMMDDHHMMSSZ"] <type> <base64> [comment]

and PINNED_LINE is asserted literally in BOTH this file and test/core/ssh_public_key_test.cc
("authorized_keys line" case), so a change of the C++ format breaks one of the two tests. The
farm then shows what that format does on a real server:
  * addauthkey installs it and the user can log in with the key (both options present);
  * from= is enforced (a wrong address refuses the key);
  * an expiry-time in the past refuses the key (OpenSSH >= 8.7);
  * delauthkey with the same line really removes it, although the agent uses the line as the
    sed expression `s!^LINE$!!` (the `"` and `.` characters of the options must not break it).
"""

from __future__ import annotations

import pwd
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "farm"))

import farm as farm_mod  # noqa: E402

_MISSING = [m for m in farm_mod.missing_parts()
            if "openssh-server" in m or "x2gobroker-agent" in m]
pytestmark = pytest.mark.skipif(
    bool(_MISSING), reason="test farm needs: " + ", ".join(_MISSING)
    + " (scripts/install-deps installs them)")

FIXED_OPTIONS = "no-X11-forwarding,no-pty,no-user-rc,no-agent-forwarding,no-port-forwarding"
AKFILE = "%h/.x2go/authorized_keys"

# Identical, character for character, to the expectation in test/core/ssh_public_key_test.cc.
PINNED_LINE = (
    'no-X11-forwarding,no-pty,no-user-rc,no-agent-forwarding,no-port-forwarding,'
    'from="127.0.0.1",expiry-time="20261124161147Z" ssh-ed25519 '
    'AAAAC3NzaC1lZDI1NTE5AAAAIBERERERERERERERERERERERERERERERERERERERERER alice@127.0.0.1')


def authorized_key_line(key_type: str, blob: str, comment: str = "",
                        from_address: str | None = None, expires_at: int | None = None) -> str:
    """The C++ AuthorizedKeyLine() format (see the module docstring)."""
    options = FIXED_OPTIONS
    if from_address is not None:
        options += f',from="{from_address}"'
    if expires_at is not None:
        options += ',expiry-time="{}"'.format(time.strftime("%Y%m%d%H%M%SZ", time.gmtime(expires_at)))
    line = f"{options} {key_type} {blob}"
    return f"{line} {comment}" if comment else line


def test_python_builder_matches_the_pinned_cpp_output():
    assert authorized_key_line(
        "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIBERERERERERERERERERERERERERERERERERERERERER",
        "alice@127.0.0.1", "127.0.0.1", 1795536707) == PINNED_LINE


@pytest.fixture(scope="module")
def farm():
    with farm_mod.Farm(1, users=("alice",)) as f:
        yield f


@pytest.fixture(scope="module")
def identity(tmp_path_factory):
    d = tmp_path_factory.mktemp("autologin-key")
    key = d / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(key)],
                   check=True)
    key_type, blob = (d / "id_ed25519.pub").read_text().split()[:2]
    return key, key_type, blob


def _akfile(farm) -> Path:
    return Path(pwd.getpwnam(farm.user("alice")).pw_dir) / ".x2go" / "authorized_keys"


def _file_lines(farm) -> list[str]:
    p = _akfile(farm)
    return p.read_text().split("\n") if p.exists() else []


def _add(farm, line):
    r = farm.run_agent("ts01", "alice", "addauthkey", line, AKFILE)
    assert r.ok, r
    assert line in _file_lines(farm)


def _delete(farm, line):
    r = farm.run_agent("ts01", "alice", "delauthkey", line, AKFILE)
    assert r.ok, r
    assert line not in _file_lines(farm), "delauthkey left the line in place"


def _login(farm, key):
    return farm.ssh_user("ts01", "alice", key, command='id -un; echo "$SSH_CLIENT"')


@pytest.fixture(scope="module")
def client_address(farm, identity):
    """The address sshd sees for our ssh client, learnt with a key line without from=."""
    key, key_type, blob = identity
    line = authorized_key_line(key_type, blob, "probe")
    _add(farm, line)
    try:
        r = _login(farm, key)
        assert r.rc == 0, r
        return r.stdout.split("\n")[1].split()[0]
    finally:
        _delete(farm, line)


def test_both_options_log_in_then_delauthkey_removes_the_line(farm, identity, client_address):
    key, key_type, blob = identity
    line = authorized_key_line(key_type, blob, "alice@127.0.0.1", client_address,
                               int(time.time()) + 3600)
    assert ',from="' in line and ',expiry-time="' in line and "." in line
    _add(farm, line)
    r = _login(farm, key)
    assert r.rc == 0, r
    assert r.stdout.split("\n")[0] == farm.user("alice"), r
    _delete(farm, line)
    assert _login(farm, key).rc != 0, "the key still works after delauthkey"


def test_expiry_in_the_past_is_refused(farm, identity, client_address):
    key, key_type, blob = identity
    line = authorized_key_line(key_type, blob, "alice@127.0.0.1", client_address,
                               int(time.time()) - 120)
    _add(farm, line)
    try:
        r = _login(farm, key)
        assert r.rc != 0, "sshd accepted an expired key: " + repr(r)
    finally:
        _delete(farm, line)


def test_wrong_from_address_is_refused(farm, identity, client_address):
    key, key_type, blob = identity
    other = "192.0.2.1" if client_address != "192.0.2.1" else "192.0.2.2"  # TEST-NET-1
    line = authorized_key_line(key_type, blob, "x", other, int(time.time()) + 3600)
    _add(farm, line)
    try:
        assert _login(farm, key).rc != 0, "sshd ignored from="
    finally:
        _delete(farm, line)


def test_delauthkey_keeps_other_keys(farm, identity, client_address, tmp_path):
    """delauthkey removes our line only: another key's line (same options) survives."""
    key, key_type, blob = identity
    other_key = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(other_key)],
                   check=True)
    other_blob = (tmp_path / "other.pub").read_text().split()[1]
    expires = int(time.time()) + 3600
    ours = authorized_key_line(key_type, blob, "a", client_address, expires)
    neighbour = authorized_key_line(key_type, other_blob, "a", client_address, expires)
    _add(farm, neighbour)
    _add(farm, ours)
    _delete(farm, ours)
    assert neighbour in _file_lines(farm)
    _delete(farm, neighbour)


def test_sed_dot_is_a_wildcard(farm, identity, client_address):
    """Pins a property of the agent (not of our line): in `s!^LINE$!!` every `.` of our line
    matches any character, so delauthkey also removes a line of the SAME key that differs only
    where ours has a dot (here the from= address). Only lines carrying our own key blob can be
    hit, and the base64 alphabet has no other BRE metacharacter (`+` and `/` are literal in GNU
    sed's basic syntax, `!` is refused by ParseClientPublicKey), so no foreign key is touched."""
    key, key_type, blob = identity
    expires = int(time.time()) + 3600
    ours = authorized_key_line(key_type, blob, "a", "127.0.0.1", expires)
    twin = ours.replace('from="127.0.0.1"', 'from="127x0x0x1"', 1)
    _add(farm, twin)
    _add(farm, ours)
    r = farm.run_agent("ts01", "alice", "delauthkey", ours, AKFILE)
    assert r.ok, r
    lines = _file_lines(farm)
    assert ours not in lines and twin not in lines
