--- :checkhealth factory_lint: is the server there, which version, can it start (the `server`
--- extra), which buffers it is attached to, and why it last failed to start.
local M = {}

function M.check()
  local health = vim.health
  local factory = require('factory_lint')
  local cmd = factory.server_cmd()
  local install = 'pipx install "factory-lint[server] @ git+https://github.com/factory-lint/factory-lint"'

  health.start('factory-lint server')
  local exe = vim.fn.exepath(cmd[1])
  if exe == '' then
    health.error(string.format('`%s` not found (server command: %s)', cmd[1], table.concat(cmd, ' ')), {
      'Install it: ' .. install,
      "Or point the config at it: vim.lsp.config('factory_lint', { cmd = { '/path/to/factory-lint', 'server' } })",
    })
  else
    health.ok(string.format('server command: %s (%s)', table.concat(cmd, ' '), exe))
    local code, line = factory.version(cmd)
    if code == 0 then
      health.ok('version: ' .. line)
    else
      health.warn('`--version` failed: ' .. line)
    end
    code, line = factory.check_server(cmd)
    if code == 0 then
      health.ok('server extra present: ' .. line)
    else
      health.error(line ~= '' and line or ('`server --check` failed with code ' .. code), {
        'Install factory-lint with the `server` extra: ' .. install,
      })
    end
  end

  health.start('factory-lint clients')
  local clients = vim.lsp.get_clients({ name = 'factory_lint' })
  if #clients == 0 then
    local enabled = vim.lsp.is_enabled and vim.lsp.is_enabled('factory_lint')
    health.info(string.format('no client running (%s); it starts when a Factory file is opened',
      enabled == nil and 'enable it with vim.lsp.enable(\'factory_lint\')'
        or (enabled and 'enabled' or 'not enabled: vim.lsp.enable(\'factory_lint\')')))
  end
  for _, client in ipairs(clients) do
    local names = {}
    for bufnr in pairs(client.attached_buffers or {}) do
      names[#names + 1] = vim.api.nvim_buf_get_name(bufnr)
    end
    table.sort(names)
    local info = client.server_info or {}
    health.ok(string.format('client %d (%s %s), root %s, attached to: %s', client.id,
      info.name or 'factory-lint', info.version or '?', client.root_dir or '-',
      #names > 0 and table.concat(names, ', ') or 'no buffer'))
  end

  health.start('factory-lint last start error')
  if factory.last_error then
    health.error(factory.last_error)
  else
    health.ok('none')
  end
end

return M
