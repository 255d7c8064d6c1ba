-- wrk script for bench/intake.py: one complaint per request, each one different.
--
-- Environment:
--   WRK_MODE   api    POST /api/v1/cases body, `Authorization: Bearer WRK_TOKEN`, and a
--                     fresh Idempotency-Key per request
--              public POST /api/v1/public/complaints body (also what the bare insert gets)
--              get    GET the URL as given (the bare JSON response)
--   WRK_TOKEN  the staff API token (api mode)
--   WRK_TEXTS  a Lua file returning {zh = {...}, en = {...}}: complaint texts already
--              escaped for a JSON string (bench/intake.py writes it from the seed corpus)
--   WRK_RUN    a prefix unique to this run, for idempotency keys and order references
--   WRK_LABEL  the label on the RESULT line
--
-- A description is two texts of one language joined (a third of them English), so no two
-- requests send the same words and triage's duplicate check meets realistic text. Phone
-- numbers are drawn at random from a hundred million, so repeats are as rare as in life.

local mode = os.getenv("WRK_MODE") or "get"
local token = os.getenv("WRK_TOKEN") or ""
local run = os.getenv("WRK_RUN") or "run"
local label = os.getenv("WRK_LABEL") or "run"
local texts_path = os.getenv("WRK_TEXTS")

local zh_names = {"王先生", "李女士", "张伟", "刘芳", "陈静", "杨洋", "赵磊", "黄女士", "周杰", "吴敏"}
local en_names = {"Ann Lee", "Tom Baker", "Priya Shah", "Mark Chen", "Laura Smith", "Omar Ali"}

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

local texts, counter

function init(args)
  -- thread_id is set by setup() before init() runs in the thread's own Lua state.
  math.randomseed(os.time() * 1000 + (thread_id or 1) * 7919)
  counter = 0
  if mode ~= "get" then
    texts = dofile(texts_path)
  end
  if mode == "api" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  if mode ~= "get" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
  end
end

local function pick(list)
  return list[math.random(#list)]
end

local function complaint()
  counter = counter + 1
  local english = counter % 3 == 0
  local pool = english and texts.en or texts.zh
  local description = pick(pool) .. " " .. pick(pool)
  local name = english and pick(en_names) or pick(zh_names)
  local phone = string.format("139%08d", math.random(0, 99999999))
  -- Half the customers leave an e-mail address: their acknowledgement goes out by mail.
  local email = ""
  if counter % 2 == 0 then
    email = string.format("guest%d.%d@example.com", math.random(0, 99999999), counter)
  end
  local order_ref = string.format("%s-%d-%d", run, thread_id or 1, counter)
  return description, name, phone, email, order_ref
end

request = function()
  if mode == "get" then
    return wrk.format(nil, nil)
  end
  local description, name, phone, email, order_ref = complaint()
  local body
  -- wrk.format takes the headers given instead of wrk.headers, not as well.
  local headers = {}
  for key, value in pairs(wrk.headers) do
    headers[key] = value
  end
  if mode == "api" then
    body = string.format(
      '{"channel":"api","description":"%s","customer":{"name":"%s","phone":"%s","email":"%s"},'
        .. '"order_ref":"%s"}',
      description, name, phone, email, order_ref)
    headers["Idempotency-Key"] = order_ref
  else
    body = string.format(
      '{"description":"%s","name":"%s","phone":"%s","email":"%s","order_ref":"%s"}',
      description, name, phone, email, order_ref)
  end
  return wrk.format(nil, nil, headers, body)
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'RESULT {"label":"%s","requests":%d,"seconds":%.2f,"rps":%.1f,"p50_ms":%.1f,'
      .. '"p90_ms":%.1f,"p99_ms":%.1f,"max_ms":%.1f,"non2xx3xx":%d,"connect_err":%d,'
      .. '"read_err":%d,"write_err":%d,"timeout_err":%d}\n',
    label, summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
