-- wrk script: POST /services/{id}/heartbeat for ids read from the file named by IDS_FILE, with
-- the bearer token in TOKEN.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  ids[#ids + 1] = line
end
local counter = 0
local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }

request = function()
  counter = counter + 1
  return wrk.format("POST", "/services/" .. ids[(counter % #ids) + 1] .. "/heartbeat", headers)
end

dofile("bench/report.lua")
