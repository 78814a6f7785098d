-- factory-lint: Factory Droid files (.factory/settings.json, settings.local.json, config.json and
-- the dotfile layouts) are JSON with comments, as Droid reads them: give them the jsonc filetype.
-- The language server itself is enabled by the user: vim.lsp.enable('factory_lint') (0.11+).
if vim.g.loaded_factory_lint then
  return
end
vim.g.loaded_factory_lint = true

vim.filetype.add({ pattern = require('factory_lint').filetype_patterns() })
