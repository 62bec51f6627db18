-- paths.lua: GET a random path of the file BENCH_PATHS (one a line) per
-- request, with "Authorization: Bearer BENCH_TOKEN" when it is set (the
-- TAXII pages and the analysis requests of bench/run).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
dofile(os.getenv("BENCH_LUA") .. "/result.lua")
local tokens = require("tokens")
local paths, headers

function init(args)
	tokens.seed()
	paths = {}
	local f = assert(io.open(os.getenv("BENCH_PATHS"), "r"))
	for line in f:lines() do
		if #line > 0 then paths[#paths + 1] = line end
	end
	f:close()
	assert(#paths > 0, "no paths in " .. os.getenv("BENCH_PATHS"))
	headers = {}
	local t = os.getenv("BENCH_TOKEN")
	if t and #t > 0 then headers["Authorization"] = "Bearer " .. t end
end

function request()
	return wrk.format("GET", paths[math.random(#paths)], headers)
end
