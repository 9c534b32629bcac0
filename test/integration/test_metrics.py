# SPDX-License-Identifier: AGPL-3.0-or-later
"""/metrics (Prometheus text format 0.0.4) and the log files of --log-dir (issue #5 items 7, 8).

Our broker only (the reference has neither). Each test gets its own broker (fresh=True), so the
counters start at zero. The broker refuses /metrics to a non-loopback REMOTE_ADDR itself; since
the harness's nginx listens on 127.0.0.1 only, that check is driven by a FastCGI request sent
straight to the broker's UNIX socket with a forged REMOTE_ADDR.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import struct
import time
from pathlib import Path

import pytest

import harness

PROFILES = "profiles-basic.conf"
PLAIN = "/plain/inifile/"
# The `none` mechanism accepts any password; check-credentials/FALSE is always refused (401).
AUTH_CONFIG = ("[global]\nrequire-password = true\nrequire-cookie = false\ndefault-auth-mech = none\n"
               "default-agent-query-mode = NONE\ndefault-portscan-x2goservers = false\n"
               "cookie-directory = @RUN_DIR@/cookies\n")
LIST_OK = "task=listsessions&user=foo&password=s3cr3t-Passw0rd&authid="
LIST_401 = "task=listsessions&user=check-credentials&password=FALSE&authid="
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def series(text: str) -> dict[str, float]:
    """name{labels} → value of every sample line."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def scrape(broker: harness.Broker) -> dict[str, float]:
    r = broker.get("/metrics")
    assert r.status == 200, r
    assert r.header("Content-Type") == CONTENT_TYPE, r
    return series(r.text)


# --- a FastCGI client (the web server's side), for a forged REMOTE_ADDR -------------------

def _record(kind: int, content: bytes, request_id: int = 1) -> bytes:
    return struct.pack(">BBHHBx", 1, kind, request_id, len(content), 0) + content


def _length(n: int) -> bytes:
    return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)


def fcgi_request(socket_path: Path, params: dict[str, str], body: bytes = b"") -> bytes:
    """One FastCGI request; returns the STDOUT stream (CGI headers and body)."""
    pairs = b"".join(_length(len(k)) + _length(len(v)) + k.encode() + v.encode() for k, v in params.items())
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(str(socket_path))
        s.sendall(_record(1, struct.pack(">HB5x", 1, 0)) + _record(4, pairs) + _record(4, b"")
                  + (_record(5, body) if body else b"") + _record(5, b""))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    out = b""
    while len(data) >= 8:
        _, kind, _, length, padding = struct.unpack(">BBHHBx", data[:8])
        if kind == 6:
            out += data[8:8 + length]
        data = data[8 + length + padding:]
        if kind == 3:
            break
    return out


def metrics_over_fcgi(broker: harness.OurBroker, remote_addr: str, method: str = "GET") -> bytes:
    return fcgi_request(broker.socket_path, {
        "REQUEST_METHOD": method, "DOCUMENT_URI": "/metrics", "REQUEST_URI": "/metrics",
        "SCRIPT_NAME": "/metrics", "REMOTE_ADDR": remote_addr, "CONTENT_LENGTH": "",
        "SERVER_PROTOCOL": "HTTP/1.1"})


def cgi_status(answer: bytes) -> int:
    found = re.search(rb"^Status: (\d{3})", answer, re.M)
    assert found, answer[:200]
    return int(found.group(1))


# --- tests ------------------------------------------------------------------------------------

def test_metrics_count_requests_statuses_and_auth_failures(our_broker):
    b = our_broker(AUTH_CONFIG, PROFILES, fresh=True)
    assert b.post(PLAIN, LIST_OK).status == 200
    assert b.post(PLAIN, LIST_OK).status == 200
    assert b.post(PLAIN, LIST_401).status == 401
    assert b.get("/nowhere").status == 404
    # A request is counted after its answer has been sent: wait until the last one is in.
    key404 = 'x2gobroker_http_requests_total{frontend="other",task="none",code="404"}'
    assert harness.wait_until(lambda: scrape(b).get(key404) == 1, 5.0)
    got = scrape(b)
    assert got['x2gobroker_http_requests_total{frontend="plain",task="listsessions",code="200"}'] == 2
    assert got['x2gobroker_http_requests_total{frontend="plain",task="listsessions",code="401"}'] == 1
    assert got['x2gobroker_http_requests_total{frontend="other",task="none",code="404"}'] == 1
    assert got['x2gobroker_auth_failures_total{mechanism="none"}'] == 1
    assert got['x2gobroker_http_request_duration_seconds_count{frontend="plain"}'] == 3
    assert got['x2gobroker_http_request_duration_seconds_bucket{frontend="plain",le="+Inf"}'] == 3
    assert got['x2gobroker_config_reloads_total{result="ok"}'] == 0
    # The scrape itself is counted once it is answered.
    again = scrape(b)
    assert again['x2gobroker_http_requests_total{frontend="other",task="none",code="200"}'] >= 1


def test_metrics_count_reloads(our_broker):
    b = our_broker(AUTH_CONFIG, PROFILES, fresh=True)
    offset = b.log_size()
    b.signal(signal.SIGHUP)
    assert b.wait_for_log("configuration reloaded", 5.0) or "configuration reloaded" in b.log_since(offset)
    assert harness.wait_until(lambda: scrape(b)['x2gobroker_config_reloads_total{result="ok"}'] == 1, 5.0)
    b.config_path.write_text(b.config_path.read_text() + "\n[global\nbroken\n")
    b.signal(signal.SIGHUP)
    assert harness.wait_until(lambda: scrape(b)['x2gobroker_config_reloads_total{result="failed"}'] == 1, 5.0)


def test_metrics_only_get(our_broker):
    b = our_broker(AUTH_CONFIG, PROFILES, fresh=True)
    r = b.post("/metrics", "")
    assert r.status == 405, r
    assert r.header("Allow") == "GET"


def test_metrics_refused_to_non_loopback_by_the_broker_itself(our_broker):
    b = our_broker(AUTH_CONFIG, PROFILES, fresh=True)
    assert cgi_status(metrics_over_fcgi(b, "127.0.0.1")) == 200
    for remote in ("192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", ""):
        answer = metrics_over_fcgi(b, remote)
        assert cgi_status(answer) == 403, (remote, answer[:200])
        assert b"x2gobroker_" not in answer


def test_metrics_refused_by_nginx_to_other_loopback_sources(our_broker):
    """The shipped location allows 127.0.0.1 and ::1 only: 127.0.0.2 is refused by nginx."""
    b = our_broker(AUTH_CONFIG, PROFILES, fresh=True)
    conn = http.client.HTTPConnection(b.host, b.port, timeout=10, source_address=("127.0.0.2", 0))
    try:
        conn.request("GET", "/metrics")
        resp = conn.getresponse()
        body = resp.read()
    finally:
        conn.close()
    assert resp.status == 403
    assert b"x2gobroker_" not in body


def test_metrics_add_up_across_prefork_workers(our_broker):
    b = our_broker(AUTH_CONFIG, PROFILES, fresh=True, broker_args=("--workers", "2", "--threads", "2"))
    assert b.wait_for_log("started worker", 5.0)
    n = 24
    for _ in range(n):
        assert b.post(PLAIN, LIST_OK).status == 200
    served_by = set(re.findall(r"\[(\d+)\] INFO \S+ 127\.0\.0\.1 \"POST /plain/inifile/\" 200", b.log_text()))
    key = 'x2gobroker_http_requests_total{frontend="plain",task="listsessions",code="200"}'
    # A request is counted after its answer has been sent: give the last one a moment.
    assert harness.wait_until(lambda: scrape(b)[key] == n, 5.0), served_by
    for _ in range(8):  # whichever worker answers the scrape reports the sum
        assert scrape(b)[key] == n, served_by
    # A killed worker's counts survive its replacement (it takes over the slot).
    pids = sorted(served_by)
    if pids:
        os.kill(int(pids[0]), signal.SIGKILL)
        assert b.wait_for_log("respawning", 5.0)
        time.sleep(1.0)
        for _ in range(4):
            assert scrape(b)[key] == n


def test_log_dir_files_and_sigusr1_reopen(our_broker):
    """--log-dir DIR: access lines in DIR/access.log, the rest in DIR/broker.log (here the
    harness's own log file), errors also in DIR/error.log; SIGUSR1 after logrotate moved a file
    makes every process write to a new one. No password ever lands in a file."""
    b = our_broker(AUTH_CONFIG, PROFILES, fresh=True, broker_args=("--log-dir", "@RUN_DIR@", "--workers", "2"))
    access = b.run_dir / "access.log"
    assert b.post(PLAIN, LIST_OK).status == 200
    assert harness.wait_until(lambda: access.exists() and "POST /plain/inifile/" in access.read_text(), 5.0)
    assert (b.run_dir / "error.log").exists()
    assert "serving on" in b.log_text()
    assert '"POST /plain/inifile/"' not in b.log_text(), "access lines belong in access.log only"

    rotated = b.run_dir / "access.log.1"
    access.rename(rotated)
    offset = b.log_size()
    b.signal(signal.SIGUSR1)
    # The master and both workers reopen.
    assert harness.wait_until(lambda: b.log_since(offset).count("SIGUSR1: log files reopened") == 3, 5.0), \
        b.log_since(offset)
    for _ in range(10):
        assert b.post(PLAIN, LIST_OK).status == 200
    assert harness.wait_until(lambda: access.exists() and access.read_text().count("POST /plain/inifile/") == 10, 5.0)
    assert rotated.read_text().count("POST /plain/inifile/") == 1

    for path in (access, rotated, b.run_dir / "broker.log", b.run_dir / "error.log"):
        assert "s3cr3t-Passw0rd" not in path.read_text(errors="replace"), path
