--- factory-lint language server for Factory Droid config files (Neovim 0.11+).
---
--- Enable it with:
---   vim.lsp.enable('factory_lint')
--- and override anything with vim.lsp.config('factory_lint', { ... }), e.g. the server
--- settings:
---   vim.lsp.config('factory_lint', {
---     settings = { factoryLint = { ignore = { 'FL104' }, severity = { FL105 = 'warning' } } },
---   })
---
--- The server attaches only to Factory files (.factory/settings.json, settings.local.json,
--- config.json and the dotfile layouts dot_factory/, private_dot_factory/, factory/), not to
--- every JSON buffer; and to the Markdown files of custom droids, skills, commands and output
--- styles (.factory/droids/*.md, .factory/skills/**/SKILL.md, …), not to every Markdown buffer.
local factory = require('factory_lint')

---@type vim.lsp.Config
return {
  cmd = { 'factory-lint', 'server' },
  filetypes = { 'json', 'jsonc', 'markdown' },
  root_dir = function(bufnr, on_dir)
    local path = vim.api.nvim_buf_get_name(bufnr)
    if factory.is_factory_file(path) or factory.is_markdown_file(path) then
      on_dir(factory.root_for(path))
    end
  end,
  settings = vim.deepcopy(factory.default_settings),
  init_options = vim.deepcopy(factory.default_settings.factoryLint),
  -- An error exit (e.g. the `server` extra is missing) is shown with vim.notify, with the
  -- server's own one-line reason; :checkhealth factory_lint shows it too.
  on_exit = factory.on_exit,
}
