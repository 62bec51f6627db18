-- result.lua: wrk's done() hook, shared by every bench script.  Prints one
-- machine-readable line that bench/run parses:
--   WRKRESULT requests=N duration_s=S rps=R p50_ms=A p99_ms=B max_ms=C
--             connect=E read=E write=E status=E timeout=E
function done(summary, latency, requests)
	local s = summary.duration / 1e6
	local e = summary.errors
	io.write(string.format("WRKRESULT requests=%d duration_s=%.3f rps=%.1f " ..
	    "p50_ms=%.3f p99_ms=%.3f max_ms=%.3f connect=%d read=%d write=%d " ..
	    "status=%d timeout=%d\n",
	    summary.requests, s, summary.requests / s,
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
