# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reload and shutdown of OUR broker (PROTOCOL.md §1.1, §13 "policy for broken
configuration"). The reference re-reads everything per request and has no reload at all.

Every test gets its own broker (fresh=True): they change its files and send it signals.
"""

from __future__ import annotations

import os
import re
import signal
import time

import pytest

import harness

CONFIG = "noauth.conf"
BASIC = "profiles-basic.conf"
LIST = "task=listsessions&user=foo&password=&authid="

GAMMA = "\n[gamma]\nname=Gamma added later\nhost=127.0.0.9\n"


@pytest.fixture
def broker(our_broker):
    b = our_broker(CONFIG, BASIC, fresh=True)
    exe = os.readlink(f"/proc/{b.pid}/exe")
    assert exe.endswith("x2gobroker-fcgi"), f"signals would go to {exe}, not the broker"
    return b


def sections(resp: harness.Response) -> list[str]:
    return re.findall(r"^\[(.*)\]$", resp.body.decode("utf-8", "replace"), re.M)


def listing(b) -> list[str]:
    r = b.post("/plain/inifile/", LIST)
    assert r.status == 200, r
    return sections(r)


def test_sighup_picks_up_changed_profile_file(broker):
    assert listing(broker) == ["alpha", "pool-b", "zeta-apps"]
    broker.profiles_path.write_text(harness.read_data(BASIC) + GAMMA, encoding="utf-8")
    broker.signal(signal.SIGHUP)
    got = harness.wait_until(lambda: "gamma" in listing(broker), 3.0)
    assert got, listing(broker)
    r = broker.post("/plain/inifile/", "task=selectsession&sid=gamma&user=foo")
    assert r.body == b"Access granted\nSERVER:127.0.0.9:22\n", r
    assert broker.alive()


def test_sighup_reloads_main_config(broker):
    """x2gobroker.conf is only re-read on SIGHUP: disable the JSON frontend (§1.2 → 404)."""
    assert broker.post("/json/inifile/", "task=listprofiles&user=foo").status == 200
    broker.config_path.write_text(broker.config_path.read_text() .replace(
        "[global]\n", "[global]\nenable-json-output = false\n", 1))
    broker.signal(signal.SIGHUP)
    assert harness.wait_until(
        lambda: broker.post("/json/inifile/", "task=listprofiles&user=foo").status == 404, 3.0)
    assert broker.post("/plain/inifile/", LIST).status == 200


def test_broken_config_on_sighup_keeps_old_config_and_logs_once(broker):
    before_body = broker.post("/plain/inifile/", LIST).body
    good = broker.config_path.read_text()
    offset = broker.log_size()
    broker.config_path.write_text(good + "\n[global\nthis line is broken\n")
    broken_line = len((good + "\n").splitlines()) + 1
    broker.signal(signal.SIGHUP)
    time.sleep(1.0)
    for _ in range(5):
        r = broker.post("/plain/inifile/", LIST)
        assert (r.status, r.body) == (200, before_body), r
    assert broker.alive()
    new = broker.log_since(offset)
    naming = [ln for ln in new.splitlines() if "x2gobroker.conf:" in ln]
    assert naming, f"no log line names x2gobroker.conf:<line>:\n{new[-2000:]}"
    assert any(f"x2gobroker.conf:{n}" in ln for ln in naming for n in (broken_line, broken_line + 1)), naming
    assert len(naming) == 1, f"the error must be logged once per reload, not per request:\n{naming}"
    # a good configuration is taken again afterwards
    broker.config_path.write_text(good.replace("[global]\n", "[global]\nenable-json-output = false\n", 1))
    broker.signal(signal.SIGHUP)
    assert harness.wait_until(
        lambda: broker.post("/json/inifile/", "task=listprofiles&user=foo").status == 404, 3.0)


def test_broken_profiles_on_sighup_keep_last_good(broker):
    before = broker.post("/plain/inifile/", LIST)
    offset = broker.log_size()
    broker.profiles_path.write_text(harness.read_data("profiles-duplicate.conf"), encoding="utf-8")
    broker.signal(signal.SIGHUP)
    time.sleep(1.0)
    r = broker.post("/plain/inifile/", LIST)
    assert (r.status, r.body) == (200, before.body), r
    new = broker.log_since(offset)
    assert re.search(r"sessionprofiles\.conf:\d+", new), new[-2000:]


@pytest.mark.parametrize("how", ["in-place", "rename"])
def test_profile_file_edit_picked_up_without_signal(broker, how):
    """§1.1: reload on file change; wanted within ~3 s."""
    assert "gamma" not in listing(broker)
    content = harness.read_data(BASIC) + GAMMA
    t0 = time.monotonic()
    if how == "in-place":
        with open(broker.profiles_path, "w", encoding="utf-8") as f:
            f.write(content)
    else:
        tmp = broker.profiles_path.with_suffix(".tmp")
        tmp.write_text(content, encoding="utf-8")
        os.rename(tmp, broker.profiles_path)
    got = harness.wait_until(lambda: "gamma" in listing(broker), 6.0, interval=0.2)
    elapsed = time.monotonic() - t0
    assert got, f"edit not picked up within 6 s ({how})"
    assert elapsed < 4.0, f"edit picked up only after {elapsed:.1f} s"


def test_sigterm_exits_cleanly(broker):
    for _ in range(20):
        assert broker.post("/plain/inifile/", LIST).status == 200
    t0 = time.monotonic()
    rc = broker.stop_broker(timeout=10)
    assert rc == 0, f"exit status {rc} after SIGTERM"
    assert time.monotonic() - t0 < 5
    broker.check_sanitizers()
    assert not [f for f in harness.SANITIZER_FINDINGS if f[0] == str(broker.log_path)]


def test_sigterm_with_request_bursts(broker):
    """SIGTERM right after a burst of concurrent requests still exits 0."""
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        futs = [ex.submit(broker.post, "/plain/inifile/", LIST) for _ in range(64)]
        assert all(f.result().status == 200 for f in futs)
    assert broker.stop_broker(timeout=10) == 0
