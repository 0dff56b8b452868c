-- wrk script: GET the URL given to wrk with the same bearer token the heartbeats carry (ignored by
-- the open endpoint), so both runs move requests of the same size; with the common report.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
dofile("bench/report.lua")
