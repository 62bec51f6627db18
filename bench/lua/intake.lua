-- intake.lua: POST /api/v1/reports (~2 KB form) as random operators, each in
-- its own sector.  BENCH_BODY is a JSON body with the string __SECTOR__.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
dofile(os.getenv("BENCH_LUA") .. "/result.lua")
local tokens = require("tokens")

local ops, template
local path = os.getenv("BENCH_PATH") or "/api/v1/reports"

function init(args)
	tokens.seed()
	ops = tokens.load({ "operator" })
	local f = assert(io.open(os.getenv("BENCH_BODY"), "r"))
	template = f:read("*a")
	f:close()
end

function request()
	local p = ops[math.random(#ops)]
	local body = template:gsub("__SECTOR__", p.sector)
	return wrk.format("POST", path, {
		["Authorization"] = "Bearer " .. p.token,
		["Content-Type"] = "application/json" }, body)
end
