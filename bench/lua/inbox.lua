-- inbox.lua: GET /api/v1/inbox?limit=50 as random operators, CEPTOARs and
-- ministries (the organisations advisories are delivered to).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
dofile(os.getenv("BENCH_LUA") .. "/result.lua")
local tokens = require("tokens")
local who

function init(args)
	tokens.seed()
	who = tokens.load({ "operator", "ceptoar", "ministry" })
end

function request()
	local p = who[math.random(#who)]
	return wrk.format("GET", "/api/v1/inbox?limit=50",
	    { ["Authorization"] = "Bearer " .. p.token })
end
