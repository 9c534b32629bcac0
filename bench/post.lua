-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script of bench/run: every request is X2Go Client's listsessions, as a form POST, the
-- same body on every request: `task=listsessions&user=foo` (scenario "noauth"), or the form
-- given after wrk's `--` (scenario "static": `...&authid=<the static cookie>`).
-- X2Go Client also sends password= and authid= (PROTOCOL.md 5.1); with authentication off
-- they change nothing, so "noauth" leaves them out.
wrk.method = "POST"
wrk.body = "task=listsessions&user=foo"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

function init(args)
  if args[1] then wrk.body = args[1] end
end
