-- End-to-end test of the factory-lint Neovim plugin with a real Neovim and the real server.
--
--   nvim --headless --clean -l tests/e2e.lua <plugin dir> <project dir>
--
-- <project dir> holds .git/ and .factory/settings.json (written by test_neovim_e2e.py). Prints
-- one "ok - name" / "not ok - name: why" line per check and a closing "N passed, N failed"
-- line; exits non-zero when a check failed. FACTORY_LINT_SERVER overrides the server command.
local plugin_dir, project = arg[1], arg[2]
assert(plugin_dir and project, 'usage: nvim --headless --clean -l e2e.lua <plugin dir> <project>')

local passed, failed = 0, 0
local blocked -- set when a check the others depend on failed: they fail at once
local function check(name, fn, required)
  local ok, err
  if blocked then
    ok, err = false, 'not run: ' .. blocked
  else
    ok, err = xpcall(fn, debug.traceback)
    if not ok and required then
      blocked = 'the server did not attach'
    end
  end
  if ok then
    passed = passed + 1
    io.stdout:write('ok - ' .. name .. '\n')
  else
    failed = failed + 1
    io.stdout:write('not ok - ' .. name .. ': ' .. tostring(err):gsub('\n', '\n#   ') .. '\n')
  end
  io.stdout:flush()
end

local function wait(what, timeout_ms, fn)
  local value
  local ok = vim.wait(timeout_ms, function()
    value = fn()
    return value ~= nil and value ~= false
  end, 20)
  if not ok then
    error('timed out waiting for ' .. what, 2)
  end
  return value
end

local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(string.format('%s: expected %s, got %s', what, vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

local function find_line(bufnr, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1 -- 0-based line, 0-based byte column
    end
  end
  error(needle .. ' not in the buffer', 2)
end

local function codes(diagnostics)
  local out = {}
  for _, d in ipairs(diagnostics) do
    out[#out + 1] = d.code
  end
  table.sort(out)
  return out
end

local function by_code(diagnostics, code)
  for _, d in ipairs(diagnostics) do
    if d.code == code then
      return d
    end
  end
  error(code .. ' not among ' .. vim.inspect(codes(diagnostics)), 2)
end

-- The plugin, as a plugin manager would install it.
vim.opt.rtp:prepend(plugin_dir)
vim.cmd('runtime! plugin/factory_lint.lua')
if vim.env.FACTORY_LINT_SERVER and vim.env.FACTORY_LINT_SERVER ~= '' then
  vim.lsp.config('factory_lint', { cmd = vim.split(vim.env.FACTORY_LINT_SERVER, '%s+', { trimempty = true }) })
end
-- a user setting, as in docs/editors.md: the server must get it (workspace/configuration)
vim.lsp.config('factory_lint', { settings = { factoryLint = { severity = { FL104 = 'error' } } } })
vim.lsp.enable('factory_lint')

local file = project .. '/.factory/settings.json'
vim.cmd.edit(vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local client

check('a .factory/settings.json buffer gets the jsonc filetype', function()
  eq(vim.bo[bufnr].filetype, 'jsonc', 'filetype')
end)

check('the factory_lint server attaches, rooted at the project', function()
  client = wait('the client to attach', 15000, function()
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'factory_lint' })[1]
  end)
  wait('the client to initialize', 15000, function()
    return client.initialized
  end)
  eq(client.root_dir, project, 'root_dir')
  local info = client.server_info or {}
  io.stdout:write(string.format('# %s %s: position encoding %s, %s diagnostics\n',
    tostring(info.name), tostring(info.version), tostring(client.offset_encoding),
    client.server_capabilities.diagnosticProvider and 'pull' or 'push'))
end, true)

local diagnostics = {}
check('vim.diagnostic.get() has the findings with rule codes, lines and columns', function()
  diagnostics = wait('FL201, FL202 and FL104', 15000, function()
    local got = vim.diagnostic.get(bufnr)
    local c = table.concat(codes(got), ' ')
    if c:find('FL201') and c:find('FL202') and c:find('FL104') then
      return got
    end
  end)
  for _, d in ipairs(diagnostics) do
    eq(d.source, 'factory-lint', 'source of ' .. tostring(d.code))
  end
  -- "Anthropic" follows an emoji on its line: the byte column is right only if the server's
  -- positions and Neovim's conversion agree on the negotiated encoding.
  local spelling = by_code(diagnostics, 'FL202')
  local line, col = find_line(bufnr, '"Anthropic"')
  eq({ spelling.lnum, spelling.col, spelling.end_lnum, spelling.end_col },
    { line, col, line, col + #'"Anthropic"' }, 'FL202 range')
  eq(spelling.severity, vim.diagnostic.severity.WARN, 'FL202 severity')
  local unknown = by_code(diagnostics, 'FL201')
  line, col = find_line(bufnr, '"claude"')
  eq({ unknown.lnum, unknown.col, unknown.end_col }, { line, col, col + #'"claude"' }, 'FL201 range')
  eq(unknown.severity, vim.diagnostic.severity.ERROR, 'FL201 severity')
  local key = by_code(diagnostics, 'FL104')
  line = find_line(bufnr, '"maxTokens"')
  eq(key.lnum, line, 'FL104 line')
  -- FL104 is a warning by default; the user's settings made it an error
  eq(key.severity, vim.diagnostic.severity.ERROR, 'FL104 severity from settings.factoryLint.severity')
end)

check('completion in a "model" value lists the endpoint\'s model IDs', function()
  local line, col = find_line(bufnr, '"claude-sonnet-4-5"')
  vim.api.nvim_win_set_cursor(0, { line + 1, col + 1 }) -- just inside the opening quote
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local response = client:request_sync('textDocument/completion', params, 10000, bufnr)
  assert(response and not response.err, 'completion failed: ' .. vim.inspect(response))
  local result = response.result or {}
  local items = result.items or result
  local labels = {}
  for _, item in ipairs(items) do
    labels[item.label] = true
  end
  assert(labels['claude-sonnet-4-6'], 'claude-sonnet-4-6 missing from ' .. vim.inspect(vim.tbl_keys(labels)))
  -- claude-sonnet-4-5 was retired on 2026-11-30: completions never offer retired models
  assert(not labels['claude-sonnet-4-5'], 'the retired claude-sonnet-4-5 was offered')
  assert(labels['claude-opus-4-1'], 'claude-opus-4-1 missing')
  for label in pairs(labels) do
    assert(not label:find('^gpt%-'), 'an OpenAI model offered for api.anthropic.com: ' .. label)
  end
end)

check('the unsafe fix for "claude" is offered but not preferred', function()
  local unknown = by_code(vim.diagnostic.get(bufnr), 'FL201')
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = {
      start = { line = unknown.lnum, character = 0 },
      ['end'] = { line = unknown.lnum, character = 0 },
    },
    context = { diagnostics = { unknown.user_data.lsp }, only = { 'quickfix' } },
  }
  local response = client:request_sync('textDocument/codeAction', params, 10000, bufnr)
  assert(response and not response.err, vim.inspect(response))
  local found
  for _, action in ipairs(response.result or {}) do
    if action.title and action.title:find('anthropic', 1, true) then
      found = action
    end
  end
  assert(found, 'no fix among ' .. vim.inspect(response.result))
  assert(not found.isPreferred, 'an unsafe fix must not be preferred')
end)

check('applying the quick fix for "Anthropic" changes the buffer and clears FL202', function()
  local line, col = find_line(bufnr, '"Anthropic"')
  vim.api.nvim_win_set_cursor(0, { line + 1, col + 2 })
  local before = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
  -- the user's path: the code action menu, narrowed to the one fix, applied directly
  vim.lsp.buf.code_action({
    apply = true,
    context = { only = { 'quickfix' } },
    filter = function(action)
      return action.title:find('"anthropic"', 1, true) ~= nil and action.isPreferred == true
    end,
  })
  wait('the edit', 10000, function()
    local now = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
    return now ~= before
  end)
  eq(vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1],
    (before:gsub('"Anthropic"', '"anthropic"')), 'line after the fix')
  wait('FL202 to go away', 15000, function()
    local got = vim.diagnostic.get(bufnr)
    local c = table.concat(codes(got), ' ')
    return not c:find('FL202') and c:find('FL201') ~= nil
  end)
end)

check('a settings change (workspace/didChangeConfiguration) applies from the next edit', function()
  client.settings = vim.tbl_deep_extend('force', client.settings or {}, {
    factoryLint = { ignore = { 'FL104' } },
  })
  client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  -- This Neovim pulls diagnostics but does not announce workspace/diagnostic/refresh, so the
  -- server cannot ask it to pull again: the new settings show with the next pull, after an edit.
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { '' })
  wait('FL104 to go away', 15000, function()
    local c = table.concat(codes(vim.diagnostic.get(bufnr)), ' ')
    return not c:find('FL104') and c:find('FL201') ~= nil
  end)
end)

check('other JSON files get no factory-lint client', function()
  vim.cmd.edit(vim.fn.fnameescape(project .. '/package.json'))
  local other = vim.api.nvim_get_current_buf()
  eq(vim.bo[other].filetype, 'json', 'filetype of package.json')
  vim.wait(300)
  eq(#vim.lsp.get_clients({ bufnr = other, name = 'factory_lint' }), 0, 'clients on package.json')
end)

check('a custom droid (.factory/droids/*.md) gets DROID findings', function()
  vim.cmd.edit(vim.fn.fnameescape(project .. '/.factory/droids/fixer.md'))
  local droid = vim.api.nvim_get_current_buf()
  eq(vim.bo[droid].filetype, 'markdown', 'filetype of the droid')
  wait('a factory_lint client on the droid', 10000, function()
    return #vim.lsp.get_clients({ bufnr = droid, name = 'factory_lint' }) > 0
  end)
  local found = wait('DROID103 on the droid', 15000, function()
    for _, d in ipairs(vim.diagnostic.get(droid)) do
      if d.code == 'DROID103' then
        return d
      end
    end
  end)
  eq(found.lnum, 3, 'line of DROID103')
end)

check('other Markdown files get no factory-lint client', function()
  vim.cmd.edit(vim.fn.fnameescape(project .. '/README.md'))
  local readme = vim.api.nvim_get_current_buf()
  vim.wait(300)
  eq(#vim.lsp.get_clients({ bufnr = readme, name = 'factory_lint' }), 0, 'clients on README.md')
end)

local function health_text()
  vim.cmd('checkhealth factory_lint')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  vim.cmd('tabclose')
  return text
end

local function contains(text, needle)
  if not text:find(needle, 1, true) then
    error(string.format('%q not in:\n%s', needle, text), 2)
  end
end

check(':checkhealth factory_lint reports the server, its version, the extra and the buffers', function()
  vim.cmd.buffer(bufnr)
  local text = health_text()
  contains(text, 'server command: ')
  contains(text, 'version: factory-lint ')
  contains(text, 'server extra present: factory-lint server ')
  contains(text, 'ready (pygls ')
  contains(text, '/.factory/settings.json')
  contains(text, 'last start error')
  if text:find('ERROR', 1, true) then
    error('an error in a healthy setup:\n' .. text)
  end
end)

check('without the server extra, its one-line reason reaches vim.notify and :checkhealth', function()
  local fake = assert(vim.env.FACTORY_LINT_NO_EXTRA, 'FACTORY_LINT_NO_EXTRA is not set')
  local notes = {}
  local original = vim.notify
  vim.notify = function(message, level)
    notes[#notes + 1] = { message = tostring(message), level = level }
  end
  local ok, err = pcall(function()
    -- As a user whose factory-lint lacks the extra: the configured command fails to start.
    if client then
      client:stop()
      wait('the first client to stop', 5000, function()
        return client:is_stopped()
      end)
      client = nil
    end
    vim.lsp.config('factory_lint', { cmd = { fake, 'server' } })
    vim.cmd.buffer(bufnr)
    vim.cmd('edit!') -- reopening the file starts the client again (vim.lsp.enable)
    local note = wait('the notification', 20000, function()
      for _, n in ipairs(notes) do
        if n.message:find('needs the `server` extra', 1, true) then
          return n
        end
      end
    end)
    eq(note.level, vim.log.levels.ERROR, 'level')
    if note.message:find('\n') then
      error('more than one line: ' .. note.message)
    end
    contains(note.message, 'install it with: ')
    eq(require('factory_lint').last_error, note.message, 'last_error')
  end)
  vim.notify = original
  if not ok then
    error(err, 0)
  end
  local text = health_text()
  contains(text, 'needs the `server` extra (pygls is missing)')
end)

if client then
  client:stop()
  vim.wait(3000, function()
    return client:is_stopped()
  end)
end
io.stdout:write(string.format('%d passed, %d failed\n', passed, failed))
io.stdout:flush()
os.exit(failed == 0 and 0 or 1)
