--- factory-lint for Neovim: which files are Factory Droid files, and where their root is.
--- Used by lsp/factory_lint.lua (Neovim 0.11+) and by the nvim-lspconfig snippet in
--- docs/editors.md (older versions).
local M = {}

--- Folders Droid's files live in: the real one and the dotfile-manager layouts.
M.dirs = { '.factory', 'dot_factory', 'private_dot_factory', 'factory' }
--- The file names Droid reads.
M.names = { 'settings.json', 'settings.local.json', 'config.json', 'mcp.json', 'hooks.json' }
--- chezmoi attribute prefixes a file in dot_factory/ may carry (private_settings.json).
M.chezmoi_prefixes = { 'private_', 'readonly_', 'private_readonly_' }

--- Files and folders that mark a project root (searched upwards from the file).
M.root_markers = { '.factory-lint.toml', 'pyproject.toml', '.git' }

local function set(list)
  local out = {}
  for _, item in ipairs(list) do
    out[item] = true
  end
  return out
end

local dir_set = set(M.dirs)
local name_set = set(M.names)

--- Whether a path names a Factory Droid file (same rules as the server and the VS Code
--- extension's document selector).
---@param path string
---@return boolean
function M.is_factory_file(path)
  if not path or path == '' then
    return false
  end
  local name = vim.fs.basename(path)
  local dir = vim.fs.basename(vim.fs.dirname(path))
  -- the legacy <folder>/.factory/hooks/hooks.json
  if name == 'hooks.json' and dir == 'hooks' then
    return dir_set[vim.fs.basename(vim.fs.dirname(vim.fs.dirname(path)))] == true
  end
  if not dir_set[dir] then
    return false
  end
  if name_set[name] then
    return true
  end
  if dir == 'dot_factory' or dir == 'private_dot_factory' then
    for _, prefix in ipairs(M.chezmoi_prefixes) do
      if name:sub(1, #prefix) == prefix and name_set[name:sub(#prefix + 1)] then
        return true
      end
    end
  end
  return false
end

--- Folders holding Droid's Markdown files (custom droids, skills, commands, output styles),
--- and the folders they may sit in (skills and commands also below .agents/ and .agent/).
M.markdown_kinds = {
  droids = { '.factory', 'dot_factory', 'private_dot_factory' },
  ['output-styles'] = { '.factory', 'dot_factory', 'private_dot_factory' },
  skills = { '.factory', 'dot_factory', 'private_dot_factory', '.agents', '.agent' },
  commands = { '.factory', 'dot_factory', 'private_dot_factory', '.agents', '.agent' },
}

--- Whether a path names a Markdown file of Droid's (a droid, skill, command or output style:
--- `*.md` anywhere below .factory/droids, skills, commands, output-styles; nested and
--- misnamed files included, the server says when Droid skips them).
---@param path string
---@return boolean
function M.is_markdown_file(path)
  if not path or path == '' or not path:match('%.md$') then
    return false
  end
  local parts = vim.split(path, '/', { plain = true })
  for i = 1, #parts - 2 do
    local homes = M.markdown_kinds[parts[i + 1]]
    if homes and vim.tbl_contains(homes, parts[i]) then
      return true
    end
  end
  return false
end

--- Lua patterns for vim.filetype.add(): every Factory file is JSON with comments.
---@return table<string, string>
function M.filetype_patterns()
  local patterns = {}
  local function esc(text)
    return (text:gsub('[%.%-%+%*%?%[%]%^%$%(%)%%]', '%%%0'))
  end
  for _, dir in ipairs(M.dirs) do
    for _, name in ipairs(M.names) do
      patterns['.*/' .. esc(dir) .. '/' .. esc(name)] = 'jsonc'
    end
    patterns['.*/' .. esc(dir) .. '/hooks/hooks%.json'] = 'jsonc'
  end
  for _, dir in ipairs({ 'dot_factory', 'private_dot_factory' }) do
    for _, prefix in ipairs(M.chezmoi_prefixes) do
      for _, name in ipairs(M.names) do
        patterns['.*/' .. esc(dir) .. '/' .. esc(prefix .. name)] = 'jsonc'
      end
    end
  end
  return patterns
end

--- The root for a Factory file: the nearest folder with a root marker, else the folder that
--- holds the .factory/ folder (for ~/.factory/settings.json that is $HOME).
---@param path string
---@return string
function M.root_for(path)
  local marker = vim.fs.find(M.root_markers, { upward = true, path = vim.fs.dirname(path) })[1]
  if marker then
    return vim.fs.dirname(marker)
  end
  return vim.fs.dirname(vim.fs.dirname(path))
end

--- The server's default settings (see docs/editors.md): empty lists mean "the defaults, or what
--- .factory-lint.toml says".
M.default_settings = {
  factoryLint = {
    select = {},
    ignore = {},
    severity = vim.empty_dict and vim.empty_dict() or {},
  },
}

--- The command that starts the server: the factory_lint config's `cmd` (vim.lsp.config,
--- Neovim 0.11+), else `factory-lint server`.
---@return string[]
function M.server_cmd()
  local ok, config = pcall(function()
    return vim.lsp.config and vim.lsp.config.factory_lint
  end)
  if ok and config and type(config.cmd) == 'table' and #config.cmd > 0 then
    return vim.deepcopy(config.cmd)
  end
  return { 'factory-lint', 'server' }
end

--- Run a command and return its exit code and its first line of output (stdout, else stderr).
---@param cmd string[]
---@return integer code, string line
local function first_line(cmd)
  local ok, result = pcall(function()
    return vim.system(cmd, { text = true }):wait(20000)
  end)
  if not ok then
    return -1, tostring(result)
  end
  local out = (result.stdout or '') ~= '' and result.stdout or (result.stderr or '')
  return result.code, (vim.split(out, '\n', { trimempty = true })[1] or '')
end

--- Ask the server whether it can start (`factory-lint server --check`): 0 and a "ready" line,
--- or 2 and the one line that says the `server` extra is missing and how to install it.
---@param cmd? string[] the server command (default: M.server_cmd())
---@return integer code, string line
function M.check_server(cmd)
  local check = vim.deepcopy(cmd or M.server_cmd())
  table.insert(check, '--check')
  return first_line(check)
end

--- `factory-lint --version` for a server command (what comes before `server`).
---@param cmd? string[]
---@return integer code, string line
function M.version(cmd)
  local prefix = {}
  for _, part in ipairs(cmd or M.server_cmd()) do
    if part == 'server' then
      break
    end
    prefix[#prefix + 1] = part
  end
  table.insert(prefix, '--version')
  return first_line(prefix)
end

--- Why the server last failed to start or stopped with an error (nil when it has not).
M.last_error = nil

--- `on_exit` of the server config: when the server exits with an error, find out why (the
--- server's own one-line message, e.g. a missing `server` extra, instead of only "quit with
--- exit code 2") and show it with vim.notify; :checkhealth factory_lint shows it too.
---@param code integer
---@param signal integer
---@param client_id integer
function M.on_exit(code, signal, client_id)
  if code == 0 or signal ~= 0 then
    return -- a normal stop, or stopped by Neovim
  end
  vim.schedule(function()
    local client = vim.lsp.get_client_by_id and vim.lsp.get_client_by_id(client_id)
    local cmd = client and client.config and type(client.config.cmd) == 'table' and client.config.cmd
      or M.server_cmd()
    local check_code, line = M.check_server(cmd)
    local message
    if check_code ~= 0 and line ~= '' then
      message = line
    else
      message = string.format('factory-lint server exited with code %d; see :LspLog', code)
    end
    M.last_error = message
    vim.notify(message, vim.log.levels.ERROR, { title = 'factory-lint' })
  end)
end

return M
