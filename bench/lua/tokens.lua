-- tokens.lua: reads bench/gen's tokens file (BENCH_TOKENS) into a list of
-- {kind, token, user, org, sector} for the kinds given.
local M = {}

function M.load(kinds)
	local want = {}
	for _, k in ipairs(kinds) do want[k] = true end
	local path = os.getenv("BENCH_TOKENS")
	local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
	local out = {}
	for line in f:lines() do
		local kind, tok, user, org, sector =
		    line:match("^(%S+) (%S+) (%S+) (%S+) (%S+)$")
		if kind and want[kind] then
			out[#out + 1] = { kind = kind, token = tok, user = user,
			    org = org, sector = sector }
		end
	end
	f:close()
	assert(#out > 0, "no tokens of the wanted kinds in " .. path)
	return out
end

-- A per-thread seed, so threads do not replay the same principals.
function M.seed()
	local t = tonumber(tostring({}):match("0x(%x+)"), 16) or os.time()
	math.randomseed(os.time() + t % 100000)
end

return M
