-- wrk script: POST /v1/query of the bodies in SYNDEX_BENCH_QUERIES (one
-- JSON object per line, articles the index does not hold), in turn.
local bodies = {}
for line in io.lines(os.getenv("SYNDEX_BENCH_QUERIES")) do
  bodies[#bodies + 1] = line
end
local next_body = 0

request = function()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/v1/query",
                    {["Content-Type"] = "application/json"}, bodies[next_body])
end

done = dofile(os.getenv("SYNDEX_BENCH_DIR") .. "/report.lua")
