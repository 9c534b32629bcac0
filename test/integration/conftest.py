# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the integration suite.

  reference_broker(config, profiles, env=None, fresh=False) -> harness.ReferenceBroker
  our_broker(config, profiles, env=None, fresh=False, **kw)   -> harness.OurBroker
  web_server -> "nginx" or "apache": what our_broker runs behind

Our broker runs behind nginx. A test marked @pytest.mark.web_servers(*harness.WEB_SERVERS)
(or a module with that pytestmark) that uses our broker runs once per web server, with ids
[nginx-...] and [apache-...] and the marks `nginx` / `apache` (select with -k apache or
-m apache).

X2GOBROKER_IT_OURS=reference replaces our broker by a second reference instance: every exact
differential test must then pass and every "deviation" test must fail (harness self-check).

`config` and `profiles` are either file names under test/data/integration/ or literal text.
Brokers with the same arguments are shared by the whole session unless fresh=True (then the
broker belongs to the test and is stopped after it). Our broker's binaries come from
$X2GOBROKER_BIN_DIR (default build/bin). Any AddressSanitizer / UBSan report in a broker's
log fails the test that was running and the whole session. X2GOBROKER_IT_KEEP=1 keeps the run
directories (/tmp/x2gobroker-it-*) for inspection.
"""

from __future__ import annotations

import os

import pytest

import harness


def _text(name_or_text: str | None) -> str | None:
    if name_or_text is None:
        return None
    if "\n" not in name_or_text and (harness.DATA / name_or_text).is_file():
        return harness.read_data(name_or_text)
    return name_or_text


_LIVE: list[harness.Broker] = []


class _Factory:
    def __init__(self, cls, cache: dict, request, defaults: dict | None = None) -> None:
        self.cls = cls
        self.cache = cache
        self.request = request
        self.defaults = defaults or {}
        self.owned: list[harness.Broker] = []

    def __call__(self, config: str, profiles: str | None = None, env: dict | None = None,
                 fresh: bool = False, **kwargs) -> harness.Broker:
        kwargs = {**self.defaults, **kwargs}
        cfg, prof = _text(config), _text(profiles)
        key = (self.cls.__name__, cfg, prof, tuple(sorted((env or {}).items())),
               tuple(sorted(kwargs.items())))
        if not fresh and key in self.cache:
            broker = self.cache[key]
        else:
            broker = self.cls(cfg, prof, env=env, **kwargs)
            _LIVE.append(broker)
            if fresh:
                self.owned.append(broker)
            else:
                self.cache[key] = broker
        used = getattr(self.request.node, "_brokers", [])
        used.append(broker)
        self.request.node._brokers = used
        return broker

    def close(self) -> None:
        for b in self.owned:
            b.stop()


@pytest.fixture(scope="session")
def _broker_cache():
    cache: dict = {}
    yield cache
    for b in cache.values():
        b.stop()


@pytest.fixture
def reference_broker(_broker_cache, request):
    f = _Factory(harness.ReferenceBroker, _broker_cache, request)
    yield f
    f.close()


class _ReferenceAsOurs(harness.ReferenceBroker):
    """Harness self-check (X2GOBROKER_IT_OURS=reference): "ours" is a second reference."""

    def __init__(self, config, profiles, env=None, **_ignored):
        super().__init__(config, profiles, env=env)


@pytest.fixture
def web_server(request) -> str:
    """The web server in front of our broker: nginx, or each of @pytest.mark.web_servers."""
    return getattr(request, "param", "nginx")


@pytest.fixture
def our_broker(_broker_cache, request, web_server):
    cls = harness.OurBroker
    if os.environ.get("X2GOBROKER_IT_OURS") == "reference":
        cls = _ReferenceAsOurs
    f = _Factory(cls, _broker_cache, request, defaults={"web_server": web_server})
    yield f
    f.close()


@pytest.fixture(params=["reference", "ours"])
def any_broker(request, reference_broker, our_broker):
    """Runs a test against both brokers (for facts both must share)."""
    return reference_broker if request.param == "reference" else our_broker


def pytest_configure(config):
    for name in harness.WEB_SERVERS:
        config.addinivalue_line("markers", f"{name}: our broker runs behind {name}")
    config.addinivalue_line("markers", "web_servers(*names): run the test behind each of these web servers")


def pytest_generate_tests(metafunc):
    marker = metafunc.definition.get_closest_marker("web_servers")
    servers = marker.args if marker else ()
    if servers and "web_server" in metafunc.fixturenames:
        metafunc.parametrize(
            "web_server", [pytest.param(s, id=s, marks=getattr(pytest.mark, s)) for s in servers],
            indirect=True)


def pytest_collection_modifyitems(config, items):
    # any_broker's reference half does not depend on the web server: run it once (nginx).
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("any_broker") == "reference" and params.get("web_server", "nginx") != "nginx":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _sanitizer_guard(request):
    yield
    found = []
    for b in list(_LIVE):
        found += b.check_sanitizers()
    if found:
        pytest.fail("sanitizer report in a broker log:\n" + "\n".join(found[:20]), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" and rep.failed:
        for b in getattr(item, "_brokers", []):
            for p in b.all_log_paths():
                try:
                    text = p.read_text(errors="replace")
                except OSError:
                    continue
                rep.sections.append((f"{b.kind} broker log {p}", text[-1500:]))


def pytest_sessionfinish(session, exitstatus):
    for b in list(_LIVE):
        b.stop()
    if harness.SANITIZER_FINDINGS:
        tr = session.config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None:
            tr.write_line("")
            tr.write_line("SANITIZER REPORTS FOUND IN BROKER LOGS:", red=True)
            for path, line in harness.SANITIZER_FINDINGS[:50]:
                tr.write_line(f"  {path}: {line}")
        session.exitstatus = 1


def pytest_report_header(config):
    return [f"x2gobroker binaries: {harness.BIN_DIR} "
            f"({'present' if harness.OUR_BROKER.exists() else 'MISSING'})",
            f"nginx template: {harness.NGINX_TEMPLATE if harness.NGINX_TEMPLATE.exists() else harness.NGINX_FALLBACK_TEMPLATE}",
            f"apache snippets: {harness.APACHE_SNIPPET}, {harness.APACHE_PREFIX_SNIPPET}"]
