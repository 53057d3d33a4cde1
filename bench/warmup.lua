-- bench/run warmup: each connection sends GET job three times, then the project's first page of jobs, in turn (the
-- paths come from WARMUP_JOB and WARMUP_LIST), so one wrk run measures the mix a client of the Jobs API makes.
local job = os.getenv("WARMUP_JOB")
local list = os.getenv("WARMUP_LIST")
local n = 0

function request()
   n = n + 1
   if n % 4 == 0 then
      return wrk.format("GET", list)
   end
   return wrk.format("GET", job)
end
