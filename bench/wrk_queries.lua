-- wrk script for bench/bench_server.sh: cycles through the /search requests of one
-- query class of a pick_queries file (column 1 the class, column 7 the URL path).
--   wrk -t1 -c8 -d10s --latency -s wrk_queries.lua http://127.0.0.1:PORT -- QUERIES CLASS
-- CLASS "all" takes every query (used to warm the server up).
local paths = {}
local next_index = 0

function init(args)
  local file, class = args[1], args[2]
  for line in io.lines(file) do
    local fields = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      fields[#fields + 1] = field
    end
    if class == "all" or fields[1] == class then
      paths[#paths + 1] = fields[7]
    end
  end
  if #paths == 0 then
    error("no queries of class " .. tostring(class) .. " in " .. tostring(file))
  end
  -- Threads start at different places of the list, so they do not ask in lockstep.
  next_index = math.random(#paths) - 1
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end
