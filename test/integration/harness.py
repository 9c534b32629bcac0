# SPDX-License-Identifier: AGPL-3.0-or-later
"""Process and HTTP plumbing for the integration suite.

Starts the Debian reference broker (python-x2gobroker 0.0.4.3, Tornado) and our broker
(x2gobroker-fcgi under spawn-fcgi, behind a real nginx or Apache httpd 2.4 with mod_proxy_fcgi)
on free loopback ports, each in its own temporary run directory, and talks HTTP to them.
Nothing here knows what a correct answer is; the tests decide that from PROTOCOL.md and the
reference's real answers.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "test" / "data" / "integration"
BIN_DIR = Path(os.environ.get("X2GOBROKER_BIN_DIR", str(REPO / "build" / "bin"))).resolve()
OUR_BROKER = BIN_DIR / "x2gobroker-fcgi"
NGINX_TEMPLATE = REPO / "nginx" / "quickstart.conf.in"
NGINX_FALLBACK_TEMPLATE = DATA / "nginx-test.conf.in"
NGINX_PREFIX_SNIPPET = REPO / "nginx" / "x2gobroker-prefix.conf"
APACHE_SNIPPET = REPO / "apache" / "x2gobroker.conf"
APACHE_PREFIX_SNIPPET = REPO / "apache" / "x2gobroker-prefix.conf"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
# The socket the shipped snippets name; the harness points it at the run directory's.
DEPLOY_SOCKET = "/run/x2gobroker/x2gobroker-fcgi.socket"

# The web servers our broker can run behind (OurBroker(web_server=...)).
WEB_SERVERS = ("nginx", "apache")

# The Debian modules live only under the system interpreter (PATH may hold a pyenv python3).
SYSTEM_PYTHON = "/usr/bin/python3"
REFERENCE_DAEMON = "/usr/bin/x2gobroker-daemon"

# Anything a sanitizer prints when it finds a bug. One hit fails the test session.
SANITIZER_PATTERNS = (
    "ERROR: AddressSanitizer",
    "ERROR: LeakSanitizer",
    "runtime error:",
    "WARNING: ThreadSanitizer",
    "AddressSanitizer:DEADLYSIGNAL",
)

# Sanitizer findings seen during this session: (log path, line). Checked by conftest.
SANITIZER_FINDINGS: list[tuple[str, str]] = []

# The reference resets HOME from the password database (defaults.py), so its cookie store
# (~/.x2go/broker-cookies, PROTOCOL §4.2) would be the real home of whoever runs the tests.
# This bootstrap makes the password database report the run directory's home for our uid,
# then runs the daemon unchanged.
REFERENCE_BOOTSTRAP = """\
import os, pwd, runpy, sys
_home = os.environ.pop("X2GO_IT_HOME")
_real = pwd.getpwuid
def _getpwuid(uid):
    p = _real(uid)
    if uid != os.geteuid():
        return p
    return pwd.struct_passwd((p.pw_name, p.pw_passwd, p.pw_uid, p.pw_gid, p.pw_gecos, _home, p.pw_shell))
pwd.getpwuid = _getpwuid
sys.argv[0] = "/usr/bin/x2gobroker-daemon"
runpy.run_path("/usr/bin/x2gobroker-daemon", run_name="__main__")
"""

STARTUP_TIMEOUT = 30.0  # seconds; an ASan build under load starts slower


def read_data(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def free_port(host: str = "127.0.0.1") -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_open(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect((host, port))
            return True
        except OSError:
            return False


def unix_socket_open(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect(str(path))
            return True
        except OSError:
            return False


def make_run_dir(prefix: str) -> Path:
    # Directly under /tmp (not pytest's 0700 tmp_path): nginx workers run as nobody/www-data
    # when we are root and must reach the FastCGI socket. Short path: sun_path is 108 bytes.
    d = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    d.chmod(0o755)
    return d


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def __repr__(self) -> str:  # short form for assertion messages
        return f"Response({self.status}, {self.content_type!r}, {self.body[:300]!r})"


class NoAnswer(Exception):
    """The server accepted the connection but sent nothing within the time-out."""


def http_request(host: str, port: int, method: str, path: str, body: bytes | str | None = None,
                 headers: Mapping[str, str] | None = None, timeout: float = 15.0) -> Response:
    """One HTTP/1.1 request on a new connection. Returns (status, headers, body bytes)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    hdrs = dict(headers or {})
    if body is not None and not any(k.lower() == "content-type" for k in hdrs):
        hdrs["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in hdrs.items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        try:
            resp = conn.getresponse()
            data = resp.read()
        except (socket.timeout, TimeoutError) as e:
            raise NoAnswer(f"{method} {path}: no answer within {timeout}s") from e
        return Response(resp.status, resp.getheaders(), data)
    finally:
        conn.close()


def raw_request(host: str, port: int, data: bytes, timeout: float = 10.0) -> bytes:
    """Sends bytes verbatim and returns everything until the server closes."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except (socket.timeout, TimeoutError):
                break
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)


def with_session_profiles(config_text: str, profiles_path: Path) -> str:
    """Sets [broker_inifile] session-profiles (ours honours it; the reference ignores it,
    PROTOCOL §2.1, so both brokers can share the very same file)."""
    line = f"session-profiles = {profiles_path}"
    lines = config_text.splitlines()
    out: list[str] = []
    in_section = False
    done = False
    for ln in lines:
        stripped = ln.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            if in_section and not done:
                out.append(line)
                done = True
            in_section = stripped == "[broker_inifile]"
            out.append(ln)
            continue
        if in_section and re.match(r"\s*session-profiles\s*[=:]", ln):
            out.append(line)
            done = True
            continue
        out.append(ln)
    if in_section and not done:
        out.append(line)
        done = True
    if not done:
        out += ["", "[broker_inifile]", line]
    return "\n".join(out) + "\n"


def _clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("X2GOBROKER_") and k not in ("DAEMON_BIND_ADDRESS",)}
    env.setdefault("LANG", "C.UTF-8")
    if extra:
        env.update(extra)
    return env


def scan_sanitizer_log(path: Path, start: int = 0) -> tuple[list[str], int]:
    """Returns (sanitizer lines found after byte offset `start`, new offset)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], start
    found = []
    for ln in data[start:].decode("utf-8", "replace").splitlines():
        if any(p in ln for p in SANITIZER_PATTERNS):
            found.append(ln)
    return found, len(data)


class Broker:
    """A running broker reachable over HTTP on 127.0.0.1:port."""

    kind = "?"
    host = "127.0.0.1"

    def __init__(self) -> None:
        self.port = 0
        self.run_dir: Path = Path()
        self.config_path: Path = Path()
        self.profiles_path: Path = Path()
        self.log_path: Path = Path()
        self._san_offset = 0
        self.stopped = False

    # --- HTTP -----------------------------------------------------------------------------
    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: Mapping[str, str] | None = None, timeout: float = 15.0) -> Response:
        return http_request(self.host, self.port, method, path, body, headers, timeout)

    def post(self, path: str, body: bytes | str = b"", headers: Mapping[str, str] | None = None,
             timeout: float = 15.0) -> Response:
        return self.request("POST", path, body, headers, timeout)

    def get(self, path: str, headers: Mapping[str, str] | None = None, timeout: float = 15.0) -> Response:
        return self.request("GET", path, None, headers, timeout)

    def url(self, path: str = "/", user: str | None = None) -> str:
        auth = f"{user}@" if user else ""
        return f"http://{auth}{self.host}:{self.port}{path}"

    # --- logs -----------------------------------------------------------------------------
    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, needle: str, timeout: float = 5.0) -> bool:
        """True once `needle` is in the log. The broker writes a request's log lines after it
        has answered, so a test that just got its answer may have to wait for them."""
        deadline = time.monotonic() + timeout
        while True:
            if needle in self.log_text():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_since(self, offset: int) -> str:
        try:
            return self.log_path.read_bytes()[offset:].decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def all_log_paths(self) -> list[Path]:
        return [self.log_path]

    def check_sanitizers(self) -> list[str]:
        found, self._san_offset = scan_sanitizer_log(self.log_path, self._san_offset)
        for ln in found:
            SANITIZER_FINDINGS.append((str(self.log_path), ln))
        return found

    def stop(self) -> None:
        raise NotImplementedError


def _kill_group(proc: subprocess.Popen, sig: int = signal.SIGTERM, wait: float = 10.0) -> int | None:
    if proc.poll() is not None:
        return proc.returncode
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    try:
        return proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return proc.wait(timeout=10)


class ReferenceBroker(Broker):
    """`x2gobroker-daemon -b 127.0.0.1:PORT -C conf -i` (PROTOCOL §14.2)."""

    kind = "reference"

    def __init__(self, config_text: str, profiles_text: str | None,
                 env: Mapping[str, str] | None = None) -> None:
        super().__init__()
        if not Path(REFERENCE_DAEMON).exists():
            raise RuntimeError(f"{REFERENCE_DAEMON} missing: install x2gobroker-daemon (scripts/install-deps)")
        self.run_dir = make_run_dir("x2gobroker-it-ref-")
        self.home = self.run_dir / "home"
        self.home.mkdir()
        self.profiles_path = self.run_dir / "sessionprofiles.conf"
        if profiles_text is not None:
            self.profiles_path.write_text(profiles_text, encoding="utf-8")
        self.config_path = self.run_dir / "x2gobroker.conf"
        self.config_path.write_text(with_session_profiles(config_text, self.profiles_path), encoding="utf-8")
        self.log_path = self.run_dir / "broker.log"
        self.port = free_port()
        penv = _clean_env({
            "HOME": str(self.home),
            "X2GO_IT_HOME": str(self.home),  # see REFERENCE_BOOTSTRAP: cookies land in home/
            "X2GOBROKER_SESSIONPROFILES": str(self.profiles_path),
        })
        if env:
            penv.update(env)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [SYSTEM_PYTHON, "-c", REFERENCE_BOOTSTRAP, "-b", f"127.0.0.1:{self.port}",
                 "-C", str(self.config_path), "-i"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=penv, cwd=self.run_dir, start_new_session=True)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not port_open(self.host, self.port):
            if self.proc.poll() is not None:
                raise RuntimeError(f"reference broker exited with {self.proc.returncode}:\n{self.log_text()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"reference broker did not listen within {STARTUP_TIMEOUT}s:\n{self.log_text()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        _kill_group(self.proc)
        shutil.rmtree(self.run_dir, ignore_errors=True)


# Apache httpd 2.4 with nothing but what mod_proxy_fcgi needs, at its defaults otherwise. One
# child process (the event MPM's threads serve requests in parallel), started in the
# foreground by the harness, which stops it with SIGTERM.
APACHE_CONFIG = """\
# Generated by test/integration/harness.py
ServerRoot "{run_dir}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{run_dir}/apache.pid"
DefaultRuntimeDir "{run_dir}"
ErrorLog "{run_dir}/apache.log"
LogLevel warn
LogFormat "%h \\"%r\\" %>s %B" x2gobroker
CustomLog "{run_dir}/apache-access.log" x2gobroker
ServerTokens Prod
{user_group}
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule authz_host_module {modules}/mod_authz_host.so
LoadModule proxy_module {modules}/mod_proxy.so
LoadModule proxy_fcgi_module {modules}/mod_proxy_fcgi.so
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
MinSpareThreads 1
MaxSpareThreads 16
# Nothing but the broker: any other path is Apache's own 404.
DocumentRoot "{run_dir}/htdocs"
Include "{run_dir}/x2gobroker-apache.conf"
"""


def render_apache_config(run_dir: Path, port: int) -> str:
    """A complete httpd.conf for 127.0.0.1:port that includes run_dir/x2gobroker-apache.conf."""
    user_group = ""
    if os.geteuid() == 0:
        # Apache refuses to run its children as root; www-data (Debian) must reach the socket.
        user_group = "User www-data\nGroup www-data"
    return APACHE_CONFIG.format(run_dir=run_dir, port=port, user_group=user_group, modules=APACHE_MODULES)


def render_nginx_config(template: str, run_dir: Path, socket_path: Path, port: int) -> str:
    """Fills a quickstart-style nginx template and moves its listener to 127.0.0.1:port."""
    text = (template.replace("@RUNTIME_DIR@", str(run_dir))
            .replace("@SOCKET@", str(socket_path))
            .replace("@LISTEN@", f"127.0.0.1:{port}")
            .replace("@PORT@", str(port)))
    # The shipped quickstart listens on 127.0.0.1:8080; tests never use a fixed port.
    text = re.sub(r"(\blisten\s+)(?:127\.0\.0\.1:)?8080\b", rf"\g<1>127.0.0.1:{port}", text)
    # We run nginx in the foreground ourselves.
    text = re.sub(r"^\s*daemon\s+\w+\s*;\s*$", "", text, flags=re.M)
    return text


class OurBroker(Broker):
    """spawn-fcgi -n -s SOCKET -- x2gobroker-fcgi -C conf, behind nginx or Apache on
    127.0.0.1:PORT.

    web_server "nginx": nginx_template is a complete nginx.conf template (default: the
    quickstart one). web_server "apache": apache_snippet is the text of a site snippet like
    apache/x2gobroker.conf (the default) with the deployment socket path, included into a
    minimal generated httpd.conf. A test may pass both; the one of the web server in use counts.
    run_as: a system user (e.g. "x2gobroker") the broker runs as, as deployed: spawn-fcgi,
    started as root, drops to it before exec (see drop_privileges_args).
    broker_args: extra x2gobroker-fcgi options (e.g. --workers 2); @RUN_DIR@ is replaced.
    """

    kind = "ours"

    def __init__(self, config_text: str, profiles_text: str | None,
                 env: Mapping[str, str] | None = None, nginx_template: str | None = None,
                 extra_files: Mapping[str, str] | None = None, wait_ready: bool = True,
                 web_server: str = "nginx", apache_snippet: str | None = None,
                 run_as: str | None = None, broker_args: Iterable[str] = ()) -> None:
        super().__init__()
        if web_server not in WEB_SERVERS:
            raise ValueError(f"unknown web server {web_server!r}")
        self.web_server = web_server
        self.proc: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None  # nginx or apache2
        if not OUR_BROKER.exists():
            raise RuntimeError(f"{OUR_BROKER} does not exist: build first (cmake --build build) "
                               "or point X2GOBROKER_BIN_DIR at the binaries")
        web_tool = "apache2" if web_server == "apache" else "nginx"
        for tool in ("spawn-fcgi", web_tool):
            if not shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/usr/bin"):
                raise RuntimeError(f"{tool} missing: run scripts/install-deps")
        self.run_dir = make_run_dir("x2gobroker-it-")
        self.home = self.run_dir / "home"
        self.home.mkdir()
        (self.run_dir / "cookies").mkdir(mode=0o700)
        (self.run_dir / "key-deletions").mkdir(mode=0o700)
        for name, content in (extra_files or {}).items():
            (self.run_dir / name).write_text(content, encoding="utf-8")
        self.profiles_path = self.run_dir / "sessionprofiles.conf"
        if profiles_text is not None:
            self.profiles_path.write_text(profiles_text, encoding="utf-8")
        self.config_path = self.run_dir / "x2gobroker.conf"
        cfg = with_session_profiles(config_text, self.profiles_path)
        cfg = cfg.replace("@RUN_DIR@", str(self.run_dir))
        self.config_path.write_text(cfg, encoding="utf-8")
        self.log_path = self.run_dir / "broker.log"
        # The web server's error log and its stdout/stderr.
        self.web_log_path = self.run_dir / f"{web_server}.log"
        self.socket_path = self.run_dir / "fcgi.sock"
        self.port = free_port()
        self.env = _clean_env({"HOME": str(self.home)})
        # Any ASan/UBSan report is fatal and lands in broker.log (scanned by conftest).
        self.env.setdefault("ASAN_OPTIONS", "halt_on_error=1:abort_on_error=0:detect_leaks=1:"
                                            "strict_string_checks=1:detect_stack_use_after_return=1")
        self.env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
        if env:
            self.env.update(env)
        spawn = shutil.which("spawn-fcgi", path="/usr/bin:/usr/sbin:" + os.environ.get("PATH", ""))
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [spawn, "-n", "-s", str(self.socket_path), "-M", "0666", *drop_privileges_args(self.run_dir, run_as),
             "--", str(broker_binary_for(self.run_dir, run_as)), "-C", str(self.config_path),
             *(arg.replace("@RUN_DIR@", str(self.run_dir)) for arg in broker_args)],
            stdin=subprocess.DEVNULL, stdout=self.log_file, stderr=subprocess.STDOUT,
            env=self.env, cwd=self.run_dir, start_new_session=True)
        if not wait_ready:
            return
        try:
            self._wait_fcgi()
            if web_server == "apache":
                self._start_apache(apache_snippet)
            else:
                self._start_nginx(nginx_template)
        except BaseException:
            self.stop()
            raise

    # The broker PID: spawn-fcgi -n execs the application in place.
    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def _wait_fcgi(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not (self.socket_path.exists() and unix_socket_open(self.socket_path)):
            if self.proc.poll() is not None:
                raise RuntimeError(f"x2gobroker-fcgi exited with {self.proc.returncode}:\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"x2gobroker-fcgi socket not ready within {STARTUP_TIMEOUT}s:\n{self.log_text()}")
            time.sleep(0.05)
        # spawn-fcgi binds the socket before it execs the broker, so an open socket does not
        # mean the configuration loaded: wait for the broker's start-up line (it logs it after
        # loading, at info level, the default) or its exit on a bad configuration.
        while "serving on" not in self.log_text():
            if self.proc.poll() is not None:
                raise RuntimeError(f"x2gobroker-fcgi exited with {self.proc.returncode}:\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"x2gobroker-fcgi did not start within {STARTUP_TIMEOUT}s:\n{self.log_text()}")
            time.sleep(0.05)

    def _start_nginx(self, template: str | None) -> None:
        if template is None:
            template = (NGINX_TEMPLATE if NGINX_TEMPLATE.exists() else NGINX_FALLBACK_TEMPLATE).read_text()
        conf = self.run_dir / "nginx.conf"
        conf.write_text(render_nginx_config(template, self.run_dir, self.socket_path, self.port))
        nginx = shutil.which("nginx", path="/usr/sbin:/usr/bin:" + os.environ.get("PATH", ""))
        self._run_web_server(
            [nginx, "-p", str(self.run_dir), "-c", str(conf), "-e", str(self.web_log_path),
             "-g", "daemon off;"], conf)

    def _start_apache(self, snippet: str | None) -> None:
        if snippet is None:
            snippet = APACHE_SNIPPET.read_text()
        if DEPLOY_SOCKET not in snippet:
            raise RuntimeError(f"the Apache snippet does not name {DEPLOY_SOCKET}")
        (self.run_dir / "htdocs").mkdir(exist_ok=True)
        (self.run_dir / "x2gobroker-apache.conf").write_text(snippet.replace(DEPLOY_SOCKET, str(self.socket_path)))
        conf = self.run_dir / "httpd.conf"
        conf.write_text(render_apache_config(self.run_dir, self.port))
        apache = shutil.which("apache2", path="/usr/sbin:/usr/bin:" + os.environ.get("PATH", ""))
        # -DFOREGROUND: the parent stays attached (our child), its workers are its children.
        self._run_web_server([apache, "-f", str(conf), "-DFOREGROUND"], conf)

    def _run_web_server(self, argv: list[str], conf: Path) -> None:
        self.web_log = open(self.web_log_path, "ab")
        self.web = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.web_log,
                                    stderr=subprocess.STDOUT, cwd=self.run_dir,
                                    start_new_session=True)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not port_open(self.host, self.port):
            if self.web.poll() is not None:
                raise RuntimeError(f"{self.web_server} exited with {self.web.returncode}:\n"
                                   f"{self.web_log_path.read_text(errors='replace')}\n--- config:\n{conf.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.web_server} did not listen in time")
            time.sleep(0.05)

    def all_log_paths(self) -> list[Path]:
        return [self.log_path, self.web_log_path]

    def signal(self, sig: int) -> None:
        os.kill(self.pid, sig)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop_broker(self, timeout: float = 10.0) -> int | None:
        """SIGTERM to the broker only; returns its exit status (None if it had to be killed)."""
        if self.proc is None:
            return None
        if self.proc.poll() is not None:
            return self.proc.returncode
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(self.proc, signal.SIGKILL)
            return None

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.web is not None:
            # nginx: SIGQUIT is its graceful stop; Apache: SIGTERM (its workers go with it).
            _kill_group(self.web, signal.SIGQUIT if self.web_server == "nginx" else signal.SIGTERM)
        if self.proc is not None:
            self.stop_broker()
            _kill_group(self.proc)  # anything the broker left in its group
        for f in ("log_file", "web_log"):
            if hasattr(self, f):
                getattr(self, f).close()
        self.check_sanitizers()
        if os.environ.get("X2GOBROKER_IT_KEEP"):
            return
        shutil.rmtree(self.run_dir, ignore_errors=True)


def run_pyhoca(args: list[str], home: Path, timeout: float = 90.0) -> subprocess.CompletedProcess:
    """pyhoca-cli headless (PROTOCOL §14.3): only DISPLAY's shape is checked, no X server."""
    env = _clean_env({"HOME": str(home), "DISPLAY": ":99"})
    return subprocess.run(["/usr/bin/pyhoca-cli", *args], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          timeout=timeout, cwd=home)


def run_x2goclient(args: list[str], home: Path, log_path: Path, until: Iterable[str],
                   timeout: float = 20.0) -> str:
    """X2Go Client with Qt's offscreen platform (PROTOCOL §14.4). The client never exits by
    itself, so it runs until every string of `until` is in its log (or the time-out), then it
    is stopped. Returns the log."""
    env = _clean_env({"HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
                      "XDG_RUNTIME_DIR": str(home)})
    env.pop("DISPLAY", None)
    wanted = list(until)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(["/usr/bin/x2goclient", *args], stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, env=env, cwd=home,
                                start_new_session=True)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                text = log_path.read_text(errors="replace")
                if all(w in text for w in wanted):
                    time.sleep(0.3)  # let the lines after the last wanted one arrive
                    break
                time.sleep(0.1)
        finally:
            _kill_group(proc, signal.SIGTERM, wait=5)
    return log_path.read_text(errors="replace")


def wait_until(predicate, timeout: float, interval: float = 0.1):
    """Polls predicate() until it returns a truthy value; returns the last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


# --- PAM: the broker as its unprivileged user, real Linux users, x2gobroker-authservice -------
# (test_pam_auth.py; kept apart from the rest of the harness.)

AUTHSERVICE = BIN_DIR / "x2gobroker-authservice"
PAM_SERVICE_FILE = Path("/etc/pam.d/x2gobroker")
SHIPPED_PAM_SERVICE_FILE = REPO / "config" / "pam.d" / "x2gobroker"
BROKER_SYSTEM_USER = "x2gobroker"  # the Debian package's daemon user and group


def broker_binary_for(run_dir: Path, run_as: str | None) -> Path:
    """The broker binary to start. An unprivileged user may not reach the checkout (CI clones
    into 0700 directories), so for `run_as` a copy in the (0755) run directory is used."""
    if run_as is None:
        return OUR_BROKER
    copy = run_dir / OUR_BROKER.name
    shutil.copy2(OUR_BROKER, copy)
    os.chmod(copy, 0o755)
    return copy


def drop_privileges_args(run_dir: Path, run_as: str | None) -> list[str]:
    """spawn-fcgi options that make the broker run as `run_as` and its primary group, and hands
    the run directory's writable parts (cookies/, home/, key-deletions/) to that user. [] when run_as is None."""
    if run_as is None:
        return []
    import grp
    import pwd
    if os.geteuid() != 0:
        raise RuntimeError("run_as needs root (spawn-fcgi -u)")
    pw = pwd.getpwnam(run_as)
    for sub in ("cookies", "home", "key-deletions"):
        if (run_dir / sub).exists():
            os.chown(run_dir / sub, pw.pw_uid, pw.pw_gid)
    return ["-u", run_as, "-g", grp.getgrgid(pw.pw_gid).gr_name]


def install_pam_service_file() -> bool:
    """Installs config/pam.d/x2gobroker as /etc/pam.d/x2gobroker if there is none (as an admin
    would). Returns True if it installed it (the caller removes it again), False if one exists
    (e.g. the reference package's: common-auth + common-password; PAM then takes the account
    stack from /etc/pam.d/other)."""
    if PAM_SERVICE_FILE.exists():
        return False
    shutil.copyfile(SHIPPED_PAM_SERVICE_FILE, PAM_SERVICE_FILE)
    PAM_SERVICE_FILE.chmod(0o644)
    return True


@dataclass
class PamUser:
    name: str
    password: str


def create_pam_users(passwords: list[str], prefix: str = "x2gbt-") -> list[PamUser]:
    """Real Linux users (useradd + chpasswd) with the given passwords, named prefix + a random
    tag + index (at most 32 characters). Remove them with remove_pam_users()."""
    import secrets
    tag = secrets.token_hex(3)
    users: list[PamUser] = []
    try:
        for i, password in enumerate(passwords):
            name = f"{prefix}{tag}-{i}"
            subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", name],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            users.append(PamUser(name, password))
        subprocess.run(["chpasswd"], input="".join(f"{u.name}:{u.password}\n" for u in users).encode("utf-8"),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except BaseException:
        remove_pam_users(users)
        raise
    return users


def remove_pam_users(users: Iterable[PamUser]) -> None:
    for u in users:
        subprocess.run(["userdel", "--remove", u.name], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class AuthService:
    """x2gobroker-authservice started as root the way the README tells an admin, on a socket in
    its own run directory: <run_dir>/run/authservice.socket, where the service creates run/
    itself (0770, root:<group>). `args` are further options."""

    def __init__(self, args: Iterable[str] = (), group: str = BROKER_SYSTEM_USER,
                 env: Mapping[str, str] | None = None) -> None:
        if not AUTHSERVICE.exists():
            raise RuntimeError(f"{AUTHSERVICE} does not exist: build it (cmake --build build)")
        self.run_dir = make_run_dir("x2gobroker-it-auth-")
        self.socket_path = self.run_dir / "run" / "authservice.socket"
        self.log_path = self.run_dir / "authservice.log"
        self.args = ["-s", str(self.socket_path), "-g", group, *args]
        self.env = _clean_env(env)
        # As for our broker: any ASan/UBSan report is fatal and lands in the log (scanned at stop).
        self.env.setdefault("ASAN_OPTIONS", "halt_on_error=1:abort_on_error=0:detect_leaks=1:"
                                            "strict_string_checks=1:detect_stack_use_after_return=1")
        self.env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
        self.proc: subprocess.Popen | None = None
        self.stopped = False
        self.start()

    def start(self) -> None:
        """(Re)starts the service on the same socket; waits until it listens."""
        offset = self.log_size()
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([str(AUTHSERVICE), *self.args], stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=subprocess.STDOUT, env=self.env,
                                     start_new_session=True)
        ok = wait_until(lambda: " listening on " in self.log_since(offset) or self.proc.poll() is not None,
                        STARTUP_TIMEOUT, 0.02)
        if not ok or self.proc.poll() is not None:
            raise RuntimeError(f"x2gobroker-authservice did not start:\n{self.log_text()}")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def send_signal(self, sig: int) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, sig)

    def kill(self, sig: int = signal.SIGKILL, timeout: float = 10.0) -> int | None:
        """Sends `sig` and waits for the exit; returns the exit status."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._log.close()

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_text(self) -> str:
        return self.log_since(0)

    def log_since(self, offset: int) -> str:
        try:
            return self.log_path.read_bytes()[offset:].decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.proc is not None and self.proc.poll() is None:
            _kill_group(self.proc, signal.SIGTERM)
        if hasattr(self, "_log"):
            self._log.close()
        found, _ = scan_sanitizer_log(self.log_path)
        for ln in found:
            SANITIZER_FINDINGS.append((str(self.log_path), ln))
        if not os.environ.get("X2GOBROKER_IT_KEEP"):
            shutil.rmtree(self.run_dir, ignore_errors=True)
