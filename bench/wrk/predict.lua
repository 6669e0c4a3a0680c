-- wrk's script for bench/flood: POST /{app}/predict with a fresh random input per request (so no
-- cache answers), a tally of what came back (real answers, defaults, 503s, other statuses), and
-- one result line in bench's tab-separated format appended to a file at the end.
--   wrk -s bench/wrk/predict.lua URL -- RESULTS.tsv SCENARIO LABEL CONNECTIONS [INPUT-LENGTH]
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  results, scenario, label, connections = args[1], args[2], args[3], args[4]
  length = tonumber(args[5] or "3")
  real, defaults, rejected, other = 0, 0, 0, 0
  -- a seed per thread: wrk's threads start within the same second
  math.randomseed(os.time() * 1000 + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 1000)
end

function request()
  local values = {}
  for i = 1, length do
    values[i] = string.format("%.6f", math.random())
  end
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
    '{"input": [' .. table.concat(values, ", ") .. ']}')
end

function response(status, headers, body)
  if status == 200 then
    if body:find('"default":true', 1, true) then
      defaults = defaults + 1
    else
      real = real + 1
    end
  elseif status == 503 then
    rejected = rejected + 1
  else
    other = other + 1
  end
end

local function ms(micros)
  return string.format("%.4f", micros / 1000)
end

function done(summary, latency, requests)
  local r, d, j, o = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    r = r + thread:get("real")
    d = d + thread:get("defaults")
    j = j + thread:get("rejected")
    o = o + thread:get("other")
  end
  local first = threads[1]
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local line = table.concat({ first:get("scenario"), first:get("label"),
    "closed c=" .. first:get("connections"), string.format("%.4f", seconds), r, d, o,
    e.connect + e.read + e.write + e.timeout, 0, ms(latency:percentile(50)),
    ms(latency:percentile(99)), ms(latency:percentile(99.9)), ms(latency.max),
    string.format("%.4f", summary.requests / seconds), j, -1 }, "\t")
  local file = assert(io.open(first:get("results"), "a"))
  file:write(line, "\n")
  file:close()
  io.write(line, "\n")
end
