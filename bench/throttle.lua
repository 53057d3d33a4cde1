-- Throttles wrk to about RATE requests/s in total (a closed loop: each connection waits CONNS/RATE seconds after
-- every response before it sends the next request). wrk2's open-loop fixed rate is not packaged in Debian; at
-- latencies far below the 50 ms pause, the two measure the same thing (no queue builds up to hide).
local rate = tonumber(os.getenv("WRK_RATE") or "200")
local connections = tonumber(os.getenv("WRK_CONNECTIONS") or "10")

function delay()
   return 1000 * connections / rate
end
