-- wrk script: POST /services/{id}/heartbeat for ids read from the file named by IDS_FILE.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  ids[#ids + 1] = line
end
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("POST", "/services/" .. ids[(counter % #ids) + 1] .. "/heartbeat")
end

dofile("bench/report.lua")
