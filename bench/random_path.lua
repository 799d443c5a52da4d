-- wrk: each request asks for a path picked at random from the file in URLS_FILE.
local paths = {}

init = function(args)
  for line in io.lines(os.getenv("URLS_FILE")) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time())
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
