-- wrk script for the fault bench: cycles through the paths listed in the file named by
-- BENCH_PATHS and counts answers per wall-clock second and status, printed as "COUNT second status n".
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
counts = {}

request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

response = function(status, headers, body)
  local key = os.time() .. " " .. status
  counts[key] = (counts[key] or 0) + 1
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do io.write("COUNT " .. key .. " " .. n .. "\n") end
  end
end
