// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/router.h"

#include <doctest/doctest.h>

using namespace x2gobroker::core;
using Kind = Route::Kind;

TEST_SUITE("core/router") {
  TEST_CASE("routes of PROTOCOL.md 1.2, also under a mount prefix") {
    struct Row {
      const char* path;
      Kind kind;
      const char* backend;
    } rows[] = {
        {"/", Kind::kRoot, ""},
        {"/x2gobroker/", Kind::kRoot, ""},
        {"/plain/", Kind::kPlain, ""},
        {"/plain/inifile/", Kind::kPlain, "inifile"},
        {"/plain/inifile", Kind::kPlain, "inifile"},
        {"/plain/inifile/extra/x", Kind::kPlain, "inifile"},
        {"/plain/INIFILE/", Kind::kPlain, "INIFILE"},
        {"/json/yaml//", Kind::kJson, "yaml"},
        {"/x2gobroker/json/inifile/", Kind::kJson, "inifile"},
        {"/plain", Kind::kNotFound, ""},
        {"/plainx/inifile/", Kind::kNotFound, ""},
        {"/a/b/", Kind::kNotFound, ""},
        {"/pubkeys", Kind::kPubkeys, ""},
        {"/pubkeys/", Kind::kPubkeys, ""},
        {"/metrics", Kind::kMetrics, ""},
        {"/x2gobroker/metrics", Kind::kMetrics, ""},
        {"/a/b/metrics", Kind::kNotFound, ""},
        {"/x2gobroker/metricsx", Kind::kNotFound, ""},
        {"/xmetrics", Kind::kNotFound, ""},
        {"/uccs/", Kind::kUccsPing, ""},
        {"/uccs/inifile/", Kind::kUccsPing, ""},
        {"/uccs/inifile/api/5", Kind::kUccsApi, "inifile"},
        {"/uccs/inifile/api/4//", Kind::kUccsApi, "inifile"},
        {"/uccs/inifile/api/45", Kind::kNotFound, ""},
    };
    for (const Row& row : rows) {
      CAPTURE(row.path);
      Route r = ParseRoute(row.path);
      CHECK(r.kind == row.kind);
      CHECK(r.backend == row.backend);
    }
  }
}
