-- wrk script for stage moves: POST /api/v1/deals/{id}/stage with the session cookie and CSRF token, each request a
-- random deal of [$DEAL_FIRST, $DEAL_LAST] sent to one of the open stages in $STAGES ("12,13"), so most requests
-- are real moves through the gate check. Reports like report.lua (this file loads it).
local first = tonumber(os.getenv("DEAL_FIRST"))
local last = tonumber(os.getenv("DEAL_LAST"))
local stages = {}
for s in string.gmatch(os.getenv("STAGES"), "%d+") do stages[#stages + 1] = s end
dofile(os.getenv("REPORT_LUA"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRF-Token"] = os.getenv("WRK_CSRF")

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  local id = math.random(first, last)
  local stage = stages[math.random(1, #stages)]
  return wrk.format(nil, "/api/v1/deals/" .. id .. "/stage", nil, '{"stage_id":' .. stage .. '}')
end
