-- wrk script: POST /v1/articles of batches of SYNDEX_BENCH_BATCH articles
-- (default 25) from SYNDEX_BENCH_INGEST (JSON Lines of articles the index
-- does not hold), each batch once, waiting SYNDEX_BENCH_DELAY_MS (default
-- 0) before each request: the ingestion stream. Run it with one thread, so
-- that one Lua state hands out the batches; if the file runs out, the
-- requests repeat the last batch and are refused 409 (counted as errors).
local batch = tonumber(os.getenv("SYNDEX_BENCH_BATCH") or "25")
local pause = tonumber(os.getenv("SYNDEX_BENCH_DELAY_MS") or "0")
local lines = {}
for line in io.lines(os.getenv("SYNDEX_BENCH_INGEST")) do
  lines[#lines + 1] = line
end
local at = 0

request = function()
  if at + batch > #lines then at = #lines - batch end
  local body = table.concat(lines, "\n", at + 1, at + batch) .. "\n"
  at = at + batch
  return wrk.format("POST", "/v1/articles",
                    {["Content-Type"] = "application/x-ndjson"}, body)
end

delay = function()
  return pause
end

done = dofile(os.getenv("SYNDEX_BENCH_DIR") .. "/report.lua")
