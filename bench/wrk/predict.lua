-- wrk script for POST /{app}/predict: a fresh random input per request (so no cache can answer),
-- and a tally of what came back: real answers, defaults, other statuses. Prints one line,
--   wrk-result requests=N real=N defaults=N non2xx=N ... p50_us=N p99_us=N p999_us=N ...
-- that bench/flood reads. Usage: wrk -s bench/wrk/predict.lua URL -- [input-length]
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  length = tonumber(args[1] or "3")
  real, defaults, rejected, other = 0, 0, 0, 0
  -- a seed per thread: wrk's threads share os.time()
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

function done(summary, latency, requests)
  local r, d, j, o = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    r = r + thread:get("real")
    d = d + thread:get("defaults")
    j = j + thread:get("rejected")
    o = o + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    "wrk-result seconds=%.3f requests=%d real=%d defaults=%d rejected=%d other=%d " ..
    "socket_errors=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.duration / 1e6, summary.requests, r, d, j, o,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
