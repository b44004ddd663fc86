-- cgi_load.lua — the wrk script of tests/bench/cgi_load.sh: every request
-- asks for the next query of a file (each connection starts at its own
-- place), as PREFIX .. urlencoded query .. SUFFIX; at the end one line
--   RESULT NAME requests/s p50_ms p90_ms p99_ms errors requests
-- for cgi_load.sh to tabulate.  Set by environment variables:
--   CGI_LOAD_QUERIES  the query file, one query a line (QID<TAB> allowed)
--   CGI_LOAD_PREFIX   e.g. "/?q=", "/cysearch.css" (no query appended
--                     when CGI_LOAD_STATIC is "1")
--   CGI_LOAD_SUFFIX   e.g. "&format=json"
--   CGI_LOAD_NAME     the row's name

local queries = {}
local prefix = os.getenv("CGI_LOAD_PREFIX") or "/?q="
local suffix = os.getenv("CGI_LOAD_SUFFIX") or ""
local static = os.getenv("CGI_LOAD_STATIC") == "1"
local name = os.getenv("CGI_LOAD_NAME") or "unnamed"

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local file = os.getenv("CGI_LOAD_QUERIES")
if file then
  for line in io.lines(file) do
    line = line:gsub("^[^\t]*\t", "")
    if line:match("%S") then queries[#queries + 1] = urlencode(line) end
  end
end
if #queries == 0 then queries[1] = "ransomware" end

local counter = 0
local threads = 0

function setup(thread)
  thread:set("counter", threads * 7919)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local path
  if static then
    path = prefix
  else
    path = prefix .. queries[(counter % #queries) + 1] .. suffix
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %s %.1f %.2f %.2f %.2f %d %d\n", name,
    summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, errors,
    summary.requests))
end
