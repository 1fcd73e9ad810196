-- Latch for Neovim 0.8 to 0.10, where `vim.lsp.config` does not exist yet: `setup()` starts
-- (or reuses) the `latch lsp` client for JSON, Terraform, HCL and `latch.toml` buffers, with
-- the workspace root found by `latch.toml`; without one, only for a buffer that holds a
-- policy or AWS Terraform, rooted at the repository (`.git`) or the file's folder. On 0.11 and later it defers to
-- `lsp/latch.lua` through `vim.lsp.config`/`vim.lsp.enable`.

local M = {}

M.filetypes = { 'json', 'terraform', 'hcl', 'toml' }
M.root_markers = { 'latch.toml' }

---@class latch.Options
---@field cmd? string[] the server command, default `{ $LATCH_PATH or 'latch', 'lsp' }`
---@field workspace_analysis? boolean analyse the whole workspace folder, default true
---@field on_attach? fun(client: table, bufnr: integer)
---@field capabilities? table

local function default_cmd()
  local path = vim.env.LATCH_PATH
  if path == nil or path == '' then
    path = 'latch'
  end
  return { path, 'lsp' }
end

--- Whether the lines hold what Latch reads: a policy (`Statement`, also inside AWS
--- command output or Terraform) or Terraform for AWS (`aws_` resources, the `aws`
--- provider).
function M.looks_like_aws(lines)
  for _, line in ipairs(lines) do
    if line:find('Statement', 1, true) or line:find('statement', 1, true) or line:find('aws_', 1, true)
      or line:find('provider "aws"', 1, true) then
      return true
    end
  end
  return false
end

local function find_up(marker, dir)
  local found = vim.fs.find(marker, { path = dir, upward = true })[1]
  return found and vim.fs.dirname(found) or nil
end

--- The workspace root of `path`: the nearest folder with `latch.toml`; else, when
--- `lines` (the buffer's text, optional) hold a policy or AWS Terraform, the repository
--- (`.git`) or the file's own folder; else nil: Latch does not start for that file.
---@param path string
---@param lines? string[]
---@return string?
function M.root_dir(path, lines)
  local dir = vim.fs.dirname(path)
  local root = find_up('latch.toml', dir)
  if root then
    return root
  end
  if lines ~= nil and not M.looks_like_aws(lines) then
    return nil
  end
  return find_up('.git', dir) or dir
end

local function wanted(bufnr)
  if vim.bo[bufnr].buftype ~= '' then
    return false
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return false
  end
  if vim.bo[bufnr].filetype == 'toml' then
    return vim.fs.basename(name) == 'latch.toml'
  end
  return true
end

--- The last answer of `latch.whoCan` (a lens's command), for scripts and tests.
M.last_who_can = nil

--- Sends `workspace/executeCommand` (the method-call form on 0.11, the field form before).
local function execute_command(client, params, handler)
  if vim.fn.has('nvim-0.11') == 1 then
    client:request('workspace/executeCommand', params, handler, 0)
  else
    client.request('workspace/executeCommand', params, handler, 0)
  end
end

--- Runs `latch.whoCan` for a bucket, key or role ARN and shows its table in a floating
--- window. `client` is the client to ask (default: the current buffer's `latch` client).
---@param subject string
---@param client? table
function M.who_can(subject, client)
  client = client or vim.lsp.get_clients({ bufnr = 0, name = 'latch' })[1] or vim.lsp.get_clients({ name = 'latch' })[1]
  if client == nil then
    vim.notify('latch: no `latch` language server is running', vim.log.levels.ERROR)
    return
  end
  local params = { command = 'latch.whoCan', arguments = { { subject = subject } } }
  local function handler(err, result)
    if err then
      M.last_who_can = { error = err.message }
      vim.notify('latch: ' .. tostring(err.message), vim.log.levels.ERROR)
      return
    end
    M.last_who_can = result
    local lines = vim.split(result.markdown or '', '\n', { plain = true })
    vim.lsp.util.open_floating_preview(lines, 'markdown', { border = 'rounded', focus_id = 'latch-who-can' })
  end
  execute_command(client, params, handler)
end

--- Client-side commands: the who-can lenses (`vim.lsp.codelens.run()`) show their table
--- here instead of sending the command blind.
M.commands = {
  ['latch.whoCan'] = function(command, ctx)
    local arg = command.arguments and command.arguments[1] or {}
    local subject = type(arg) == 'string' and arg or arg.subject
    local client = ctx and ctx.client_id and vim.lsp.get_client_by_id(ctx.client_id) or nil
    M.who_can(subject, client)
  end,
}

--- Starts Latch for every matching buffer, now and later.
---@param opts? latch.Options
function M.setup(opts)
  opts = opts or {}
  local cmd = opts.cmd or default_cmd()
  local analysis = opts.workspace_analysis ~= false

  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    vim.lsp.config('latch', {
      cmd = cmd,
      commands = M.commands,
      init_options = { workspaceAnalysis = analysis },
      settings = { latch = { workspaceAnalysis = analysis } },
      on_attach = opts.on_attach,
      capabilities = opts.capabilities,
    })
    vim.lsp.enable('latch')
    return
  end

  if vim.fn.executable(cmd[1]) ~= 1 then
    vim.notify(
      ('latch: `%s` is not an executable; install it (`cargo install --path server/latch`) or pass `cmd` to setup()'):format(
        cmd[1]
      ),
      vim.log.levels.WARN
    )
    return
  end

  local group = vim.api.nvim_create_augroup('latch', { clear = true })
  local function start(bufnr)
    if not wanted(bufnr) then
      return
    end
    local root = M.root_dir(vim.api.nvim_buf_get_name(bufnr), vim.api.nvim_buf_get_lines(bufnr, 0, 5000, false))
    if root == nil then
      return
    end
    vim.lsp.start({
      name = 'latch',
      cmd = cmd,
      root_dir = root,
      init_options = { workspaceAnalysis = analysis },
      settings = { latch = { workspaceAnalysis = analysis } },
      on_attach = opts.on_attach,
      capabilities = opts.capabilities,
      commands = M.commands,
    }, { bufnr = bufnr })
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.filetypes,
    callback = function(args)
      start(args.buf)
    end,
  })
  -- Buffers opened before setup() ran get a client too.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.filetypes, vim.bo[bufnr].filetype) then
      start(bufnr)
    end
  end
end

--- The running `latch` client: the current buffer's, else any.
local function latch_client()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ bufnr = 0, name = 'latch' })[1] or get({ name = 'latch' })[1]
end

--- The last answer of `explain()`, for scripts and tests.
M.last_explanation = nil

--- Shows an answer of `latch.explainError`: opens the first deciding statement and puts the
--- comparison and the trace in a floating window next to it.
local function show(result)
  M.last_explanation = result
  local first = result.deciding and result.deciding[1]
  if first and first.uri and first.range then
    vim.cmd.edit(vim.fn.fnameescape(vim.uri_to_fname(first.uri)))
    local line = first.range.start.line
    local text = vim.api.nvim_buf_get_lines(0, line, line + 1, false)[1] or ''
    local client = latch_client()
    local encoding = client and client.offset_encoding or 'utf-16'
    local ok, col = pcall(vim.str_byteindex, text, encoding, first.range.start.character, false)
    if not ok then
      col = 0
    end
    vim.api.nvim_win_set_cursor(0, { line + 1, col })
  end
  local lines = vim.split(result.markdown or '', '\n', { plain = true })
  vim.lsp.util.open_floating_preview(lines, 'markdown', { border = 'rounded', focus_id = 'latch-explain' })
end

--- Explains a pasted access denied error against the workspace: `text` is the error (an AWS
--- message, S3's `Access Denied`, a CloudTrail record, decoded authorization message);
--- `opts` may set `event`, `principal`, `action`, `resource` and `context`.
---@param text string
---@param opts? table
function M.explain(text, opts)
  local client = latch_client()
  if client == nil then
    vim.notify('latch: no `latch` language server is running; open a policy or latch.toml first', vim.log.levels.ERROR)
    return
  end
  local arg = vim.tbl_extend('force', opts or {}, { text = text })
  local params = { command = 'latch.explainError', arguments = { arg } }
  local function handler(err, result)
    if err then
      M.last_explanation = { error = err.message }
      vim.notify('latch: ' .. tostring(err.message), vim.log.levels.ERROR)
      return
    end
    show(result)
  end
  execute_command(client, params, handler)
end

--- `:[range]LatchExplain [register]`: explains the error in the range's lines, else in the
--- register (default: the unnamed register).
function M.explain_command(cmd)
  local text
  if cmd.range > 0 then
    text = table.concat(vim.api.nvim_buf_get_lines(0, cmd.line1 - 1, cmd.line2, false), '\n')
  else
    local reg = cmd.args ~= '' and cmd.args or '"'
    text = vim.fn.getreg(reg)
  end
  if text == nil or vim.trim(text) == '' then
    vim.notify('latch: nothing to explain: the register or range is empty', vim.log.levels.WARN)
    return
  end
  M.explain(text)
end

return M
