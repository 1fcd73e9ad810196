-- Latch language server configuration for Neovim 0.11 and later.
--
-- Put this plugin on the runtimepath (or copy this file to `~/.config/nvim/lsp/latch.lua`),
-- then call `vim.lsp.enable('latch')`. Override anything with `vim.lsp.config('latch', {...})`,
-- e.g. `cmd = { '/path/to/latch', 'lsp' }`. The binary is `$LATCH_PATH` when set, else
-- `latch` on `PATH`.

local function is_latch_buffer(bufnr)
  -- TOML buffers are only Latch's business when they are the manifest: other TOML files
  -- (Cargo.toml, pyproject.toml) must not start a server.
  if vim.bo[bufnr].filetype ~= 'toml' then
    return true
  end
  return vim.fs.basename(vim.api.nvim_buf_get_name(bufnr)) == 'latch.toml'
end

-- Whether the buffer holds what Latch reads: a policy (`Statement`, also inside AWS
-- command output or Terraform) or Terraform for AWS (`aws_` resources, the `aws`
-- provider). Looked at only where no `latch.toml` marks the workspace, so that an
-- unrelated JSON file (package.json, tsconfig.json) of a repository starts nothing.
local function looks_like_aws(bufnr)
  return require('latch').looks_like_aws(vim.api.nvim_buf_get_lines(bufnr, 0, 5000, false))
end

---@type vim.lsp.Config
return {
  cmd = { (vim.env.LATCH_PATH and vim.env.LATCH_PATH ~= '') and vim.env.LATCH_PATH or 'latch', 'lsp' },
  filetypes = { 'json', 'terraform', 'hcl', 'toml' },
  -- `root_dir` below decides; `latch.toml` is the marker of a workspace.
  root_markers = { 'latch.toml' },
  -- The root: the nearest folder with `latch.toml` (any buffer of the filetypes); else,
  -- for a buffer that holds a policy or AWS Terraform, the repository (`.git`) or the
  -- file's folder; else Latch does not start.
  root_dir = function(bufnr, on_dir)
    if not is_latch_buffer(bufnr) then
      return
    end
    local name = vim.api.nvim_buf_get_name(bufnr)
    local root = vim.fs.root(bufnr, 'latch.toml')
    if root then
      on_dir(root)
    elseif looks_like_aws(bufnr) then
      on_dir(vim.fs.root(bufnr, '.git') or vim.fs.dirname(name))
    end
  end,
  -- Sent as initializationOptions and, under `latch`, in workspace/didChangeConfiguration.
  init_options = { workspaceAnalysis = true },
  settings = { latch = { workspaceAnalysis = true } },
  -- The who-can lenses' command: show the table (`vim.lsp.codelens.run()`).
  commands = {
    ['latch.whoCan'] = function(command, ctx)
      require('latch').commands['latch.whoCan'](command, ctx)
    end,
  },
}
