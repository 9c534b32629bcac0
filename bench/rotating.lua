-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script of bench/run, scenario "rotating": X2Go Client's listsessions with single-use
-- cookies (PROTOCOL.md 4.1 steps 7-8). A client logs in once with its password and no cookie
-- (`task=listsessions&user=foo&password=x&authid=`); from then on every request presents the
-- AUTHID of the previous answer and no password (`...&password=&authid=<last AUTHID>`).
--
-- wrk runs request() and response() per thread (one Lua state per thread), not per
-- connection, so the chain is kept per thread and bench/run starts wrk with ONE CONNECTION PER
-- THREAD (-t N -c N): a thread then has at most one request in flight, and every request
-- carries the AUTHID of the answer just received on its connection.
--
-- An answer that is not 200 or has no `AUTHID:` line breaks the chain: it is counted (done()
-- prints "chain: logins L breaks B", bench/run adds B to the errors) and the thread logs in
-- again with its next request. L = threads + 1 + B: wrk calls request() once more on the first
-- thread's state before the run (to check the script), which counts as a login there.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local login = "task=listsessions&user=foo&password=x&authid="
local next_prefix = "task=listsessions&user=foo&password=&authid="
local authid = nil  -- the AUTHID to present next; nil: log in
-- Globals of this thread's Lua state, read by done() through thread:get().
logins = 0
breaks = 0

function request()
  local body
  if authid then
    body = next_prefix .. authid
  else
    logins = logins + 1
    body = login
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  -- The plain answer's first line (PROTOCOL.md 5): AUTHID:<uuid>
  local id = status == 200 and body:match("^AUTHID:([%x%-]+)\n")
  if id then
    authid = id
  else
    authid = nil
    breaks = breaks + 1
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local l, b = 0, 0
  for _, t in ipairs(threads) do
    l = l + t:get("logins")
    b = b + t:get("breaks")
  end
  io.write(string.format("chain: logins %d breaks %d\n", l, b))
end
