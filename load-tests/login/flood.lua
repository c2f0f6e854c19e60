-- token requests with a wrong secret for a made-up client id each time
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
math.randomseed(os.time())
request = function()
  local id = "bad-" .. math.random(1, 1000000000)
  return wrk.format(nil, nil, nil, '{"grant_type":"client_credentials","client_id":"' .. id .. '","client_secret":"wrong"}')
end
local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
