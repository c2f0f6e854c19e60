-- POST /api/v1/departments with a unique code per request; token and prefix from the environment
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  prefix = os.getenv("PREFIX")
  token = os.getenv("TOKEN")
end
function request()
  counter = counter + 1
  local code = prefix .. "-" .. id .. "-" .. counter
  local body = '{"code":"' .. code .. '","name":"bench ' .. code .. '","kind":"DEPARTMENT"}'
  return wrk.format("POST", "/api/v1/departments", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
function response(status, headers, body)
  if status ~= 201 then
    failures = (failures or 0) + 1
  end
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
