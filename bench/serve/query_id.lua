-- wrk script: GET /v1/articles/{id}/matches of uniformly drawn stored ids
-- a00000000 .. a<N-1> (syndex-gen's ids), N from the environment
-- (SYNDEX_BENCH_ARTICLES, default 100000); the seed is fixed.
local articles = tonumber(os.getenv("SYNDEX_BENCH_ARTICLES") or "100000")
math.randomseed(7)

request = function()
  local id = string.format("a%08d", math.random(0, articles - 1))
  return wrk.format("GET", "/v1/articles/" .. id .. "/matches?k=10")
end

done = dofile(os.getenv("SYNDEX_BENCH_DIR") .. "/report.lua")
