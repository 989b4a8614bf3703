-- wrk script: website-form submissions (POST JSON) with a distinct phone and e-mail on every request, so lead
-- intake really looks them up, finds nothing and inserts a lead, its contact points, audit row and search document.
-- Writes the same JSON summary as bench/lib/report.lua (WRK_JSON_OUT).
dofile("bench/lib/report.lua")

local threads = {}
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local n = 0
local texts = {
  "Нужна кухня 3 метра, белые фасады, бюджет 250 тысяч, срок месяц",
  "Сколько стоит шкаф-купе?",
  "Хочу заказать 20 стульев для офиса до конца месяца",
  "Перезвоните, пожалуйста, по поводу замера",
}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  n = n + 1
  -- +7 9TT NNNNNNN: thread number and a counter make every phone unique within a run; the run tag keeps runs apart.
  local run = tonumber(os.getenv("BENCH_RUN_TAG") or "0")
  local phone = string.format("+79%d%d%07d", run % 10, tid % 10, n % 10000000)
  local body = string.format(
    '{"name":"Посетитель %d-%d","phone":"%s","email":"v%d.%d.%d@bench.example","message":"%s",' ..
    '"utm_source":"bench","page_url":"https://shop.example.ru/kitchens?utm_campaign=bench"}',
    tid, n, phone, run, tid, n, texts[(n % #texts) + 1])
  return wrk.format(nil, nil, nil, body)
end
