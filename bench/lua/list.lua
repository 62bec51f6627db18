-- list.lua: GET /api/v1/reports?sector=S&limit=50 as random principals of
-- every kind that reads reports (operators, CEPTOARs, ministries: their own
-- sector; NISC: a random sector).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
dofile(os.getenv("BENCH_LUA") .. "/result.lua")
local tokens = require("tokens")
local who
local sectors = { "ict", "finance", "aviation", "airport", "railway",
	"electricity", "gas", "government", "medical", "water", "logistics",
	"chemical", "credit", "petroleum", "port" }

function init(args)
	tokens.seed()
	local kinds = {}
	for k in (os.getenv("BENCH_KINDS") or "operator,ceptoar,ministry,nisc"):gmatch("[^,]+") do
		kinds[#kinds + 1] = k
	end
	who = tokens.load(kinds)
end

function request()
	local p = who[math.random(#who)]
	local s = p.sector
	if s == "-" then s = sectors[math.random(#sectors)] end
	return wrk.format("GET", "/api/v1/reports?sector=" .. s .. "&limit=50",
	    { ["Authorization"] = "Bearer " .. p.token })
end
