-- wrk script: GET the URL given to wrk, with the common report.
dofile("bench/report.lua")
