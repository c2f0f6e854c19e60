-- wrk: each request reads one random key of the benchmark's records, GET <BENCH_PREFIX><key>.
-- BENCH_KEYS is a file of keys, one a line. The same script drives every target, so every target
-- pays the same client-side cost.
local keys = {}
for line in io.lines(os.getenv("BENCH_KEYS")) do
  keys[#keys + 1] = line
end
local prefix = os.getenv("BENCH_PREFIX")

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", prefix .. keys[math.random(#keys)])
end
