# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reloads and worker restarts under load (issue 5 item 5): wrk hammers X2Go Client's
`listsessions` through nginx while the profile file is replaced on disk, every worker gets a
SIGHUP and one worker is stopped. Every answer must be a 200 with exactly the old or exactly the
new profile list, and once the new profiles are in, the answers switch to them.

Two deployments, as README "For ops" documents them:
* `spawn-fcgi -F 3`: three independent broker processes on one socket (each watches the files
  and takes SIGHUP itself); one of them is stopped with SIGTERM (the others keep serving).
* `x2gobroker-fcgi --workers 3`: our pre-fork master; SIGHUP to the master, SIGTERM to one
  worker (the master starts a new one).

A worker killed with SIGKILL loses the requests it was serving at that moment (nginx answers
502 for them); that is not tested here, a graceful stop is.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

import harness

WRK = shutil.which("wrk") or "/usr/bin/wrk"
pytestmark = pytest.mark.skipif(not Path(WRK).exists(), reason="wrk not installed (scripts/install-deps)")

CONFIG = harness.read_data("noauth.conf")
OLD = harness.read_data("profiles-basic.conf")
NEW = OLD + "\n[gamma]\nname=Gamma added under load\nhost=127.0.0.9\n"
BODY = "task=listsessions&user=foo&password=&authid="
DURATION = 8  # seconds of load

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local old_body = [==[{old}]==]
local new_body = [==[{new}]==]
-- globals: wrk's thread:get() reads them from each thread's Lua state
n_old, n_new, n_bad, n_late = 0, 0, 0, 0
local seen_new = false
function response(status, headers, body)
  if status == 200 and body == old_body then
    n_old = n_old + 1
    if seen_new then n_late = n_late + 1 end
  elseif status == 200 and body == new_body then
    n_new = n_new + 1
    seen_new = true
  else
    n_bad = n_bad + 1
    if n_bad <= 3 then io.stderr:write("BAD " .. status .. " " .. string.sub(body, 1, 200) .. "\\n") end
  end
end
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local old, new, bad, late = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    old = old + t:get("n_old"); new = new + t:get("n_new"); bad = bad + t:get("n_bad"); late = late + t:get("n_late")
  end
  io.write(string.format("RESULT old=%d new=%d bad=%d new_then_old=%d errors=%d\\n", old, new, bad, late,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
"""


def expected_body(broker, profiles: str) -> str:
    """The answer for `profiles`, asked from a throw-away broker (the test compares bytes)."""
    b = harness.OurBroker(CONFIG, profiles)
    try:
        r = b.post("/plain/inifile/", BODY)
        assert r.status == 200
        return r.text
    finally:
        b.stop()


class Deployment:
    """nginx in front of broker processes started by spawn-fcgi, as the broker's user."""

    def __init__(self, children: int = 0, workers: int = 0) -> None:
        self.run_dir = harness.make_run_dir("x2gobroker-it-load-")
        self.profiles = self.run_dir / "sessionprofiles.conf"
        self.profiles.write_text(OLD)
        self.config = self.run_dir / "x2gobroker.conf"
        self.config.write_text(harness.with_session_profiles(CONFIG, self.profiles))
        self.socket = self.run_dir / "fcgi.sock"
        self.log_path = self.run_dir / "broker.log"
        self.port = harness.free_port()
        self.log = open(self.log_path, "ab")
        spawn = shutil.which("spawn-fcgi", path="/usr/bin:/usr/sbin")
        user_args = harness.drop_privileges_args(self.run_dir, harness.BROKER_SYSTEM_USER)
        binary = harness.broker_binary_for(self.run_dir, harness.BROKER_SYSTEM_USER)
        argv = [spawn, "-s", str(self.socket), "-M", "0666", *user_args]
        extra = ["--workers", str(workers)] if workers else []
        if children:
            argv += ["-F", str(children)]  # spawn-fcgi forks them and exits
        else:
            argv += ["-n"]
        argv += ["--", str(binary), "-C", str(self.config), *extra]
        self.spawn = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                      cwd=self.run_dir, start_new_session=True)
        if children:
            self.spawn.wait(timeout=30)
            self.pids = [int(p) for p in re.findall(r"PID: (\d+)", self.log_path.read_text())]
            assert len(self.pids) == children, self.log_path.read_text()
        else:
            self.pids = [self.spawn.pid]
        template = (harness.NGINX_TEMPLATE if harness.NGINX_TEMPLATE.exists()
                    else harness.NGINX_FALLBACK_TEMPLATE).read_text()
        conf = self.run_dir / "nginx.conf"
        conf.write_text(harness.render_nginx_config(template, self.run_dir, self.socket, self.port))
        nginx = shutil.which("nginx", path="/usr/sbin:/usr/bin")
        self.web = subprocess.Popen([nginx, "-p", str(self.run_dir), "-c", str(conf), "-e",
                                     str(self.run_dir / "nginx.log"), "-g", "daemon off;"],
                                    stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        assert harness.wait_until(lambda: harness.port_open("127.0.0.1", self.port), 30)
        # Ready when the brokers answer (spawn-fcgi's children do not share our log reliably).
        assert harness.wait_until(lambda: self._answers(), 30), self.log_path.read_text()

    def _answers(self) -> bool:
        try:
            return self.post().status == 200
        except OSError:
            return False

    def post(self) -> harness.Response:
        return harness.http_request("127.0.0.1", self.port, "POST", "/plain/inifile/", BODY)

    def worker_pids(self) -> list[int]:
        """The pre-fork master's children (its workers)."""
        out = subprocess.run(["pgrep", "-P", str(self.pids[0])], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def replace_profiles(self, text: str) -> None:
        tmp = self.profiles.with_suffix(".new")
        tmp.write_text(text)
        os.rename(tmp, self.profiles)  # what an admin's editor or config management does

    def stop(self) -> None:
        harness._kill_group(self.web, signal.SIGQUIT)
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        harness.wait_until(lambda: not any(Path(f"/proc/{p}").exists() for p in self.pids), 15)
        self.log.close()
        if not os.environ.get("X2GOBROKER_IT_KEEP"):
            shutil.rmtree(self.run_dir, ignore_errors=True)


def run_wrk(d: Deployment, old: str, new: str) -> tuple[dict[str, int], str]:
    script = d.run_dir / "check.lua"
    script.write_text(WRK_SCRIPT.format(body=BODY, old=old, new=new))
    p = subprocess.run([WRK, "-t2", "-c16", f"-d{DURATION}s", "-s", str(script), f"http://127.0.0.1:{d.port}/plain/inifile/"],
                       capture_output=True, text=True, timeout=DURATION + 60)
    m = re.search(r"RESULT old=(\d+) new=(\d+) bad=(\d+) new_then_old=(\d+) errors=(\d+)", p.stdout)
    assert m, p.stdout + p.stderr
    keys = ("old", "new", "bad", "new_then_old", "errors")
    return dict(zip(keys, map(int, m.groups()))), p.stdout + p.stderr


@pytest.fixture(scope="module")
def bodies():
    return expected_body(None, OLD), expected_body(None, NEW)


def during_load(actions) -> threading.Thread:
    """Runs [(delay_s, action), ...] on a thread while wrk runs."""
    def run():
        start = time.monotonic()
        for delay, action in actions:
            time.sleep(max(0.0, start + delay - time.monotonic()))
            action()
    t = threading.Thread(target=run)
    t.start()
    return t


def test_spawn_fcgi_children_reload_and_stop_under_load(bodies):
    old, new = bodies
    d = Deployment(children=3)
    try:
        assert d.post().text == old
        hup_all = lambda: [os.kill(p, signal.SIGHUP) for p in d.pids]
        actions = during_load([(2, lambda: d.replace_profiles(NEW)), (4, hup_all),
                               (5, lambda: os.kill(d.pids[0], signal.SIGTERM))])
        result, out = run_wrk(d, old, new)
        print("wrk:", result)
        actions.join()
        assert result["bad"] == 0 and result["errors"] == 0, out
        assert result["old"] > 0 and result["new"] > 0, out
        assert d.post().text == new
        assert not Path(f"/proc/{d.pids[0]}").exists() or \
            "State:\tZ" in Path(f"/proc/{d.pids[0]}/status").read_text(), "the stopped worker still runs"
    finally:
        d.stop()


def test_prefork_workers_reload_and_restart_under_load(bodies):
    old, new = bodies
    d = Deployment(workers=3)
    try:
        assert d.post().text == old
        workers = harness.wait_until(lambda: len(d.worker_pids()) == 3 and d.worker_pids(), 10)
        assert workers, d.log_path.read_text()
        actions = during_load([(2, lambda: os.kill(workers[0], signal.SIGTERM)),
                               (3, lambda: d.replace_profiles(NEW)),
                               (5, lambda: os.kill(d.pids[0], signal.SIGHUP))])
        result, out = run_wrk(d, old, new)
        print("wrk:", result)
        actions.join()
        assert result["bad"] == 0 and result["errors"] == 0, out
        assert result["old"] > 0 and result["new"] > 0, out
        assert d.post().text == new
        now = d.worker_pids()
        assert len(now) == 3 and workers[0] not in now, (workers, now)  # the master replaced it
    finally:
        d.stop()
