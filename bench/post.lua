-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script of bench/run: every request is X2Go Client's listsessions, as a form POST.
-- X2Go Client also sends password= and authid= (PROTOCOL.md 5.1); with authentication off
-- they change nothing, so they are left out.
wrk.method = "POST"
wrk.body = "task=listsessions&user=foo"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
