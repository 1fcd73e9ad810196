-- End-to-end test of Latch in a real Neovim (0.11+), run headless by tests/e2e/nvim.sh:
--
--   nvim --headless -u NONE -l tests/e2e/nvim_test.lua <latch-binary> <policy.json>
--
-- It loads the plugin from editors/neovim the way a user would (`vim.lsp.enable('latch')`),
-- opens a copy of the policy in a temporary folder, waits for Latch's diagnostics, asks for
-- a hover on the `Effect` value and for the quick fixes, applies them, and checks that the
-- diagnostics clear and the text is what the fixes promise. Any failure exits non-zero with
-- a message that says which step failed.

local binary, source = arg[1], arg[2]
local TIMEOUT = tonumber(vim.env.LATCH_E2E_TIMEOUT_MS or '') or 15000

local function fail(msg)
  io.stderr:write('nvim e2e: FAIL: ' .. msg .. '\n')
  io.stderr:flush()
  os.exit(1)
end

local function step(msg)
  io.stdout:write('nvim e2e: ' .. msg .. '\n')
  io.stdout:flush()
end

if not binary or not source then
  fail('usage: nvim --headless -u NONE -l nvim_test.lua <latch-binary> <policy.json>')
end
if vim.fn.executable(binary) ~= 1 then
  fail(('`%s` is not an executable; build it with `cargo build -p latch`'):format(binary))
end
if vim.fn.has('nvim-0.11') ~= 1 then
  fail('needs Neovim 0.11 or later, this is ' .. tostring(vim.version()))
end

-- Load the plugin from the repository, as a user's package manager would.
local script_dir = vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')))
local repo = vim.fs.dirname(vim.fs.dirname(script_dir))
vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
vim.cmd('filetype on')

-- Copy the policy into a fresh folder that holds a `latch.toml`, so the root marker is found.
local dir = vim.fn.tempname()
vim.fn.mkdir(dir, 'p')
local lines = vim.fn.readfile(source, 'b')
local file = dir .. '/seed.policy.json'
vim.fn.writefile(lines, file, 'b')
vim.fn.writefile({ '# latch workspace for the Neovim end-to-end test' }, dir .. '/latch.toml')

-- LATCH_E2E_MODE=legacy exercises `require('latch').setup()` as Neovim 0.8-0.10 run it:
-- with `vim.lsp.config`/`vim.lsp.enable` hidden, it must fall back to `vim.lsp.start`.
local legacy = vim.env.LATCH_E2E_MODE == 'legacy'
local ok, err = pcall(function()
  if legacy then
    vim.lsp.config = nil
    vim.lsp.enable = nil
    require('latch').setup({ cmd = { binary, 'lsp' } })
  else
    vim.lsp.config('latch', { cmd = { binary, 'lsp' } })
    vim.lsp.enable('latch')
  end
end)
if not ok then
  fail((legacy and "require('latch').setup()" or '`vim.lsp.config`/`vim.lsp.enable` with lsp/latch.lua')
    .. ' failed: ' .. tostring(err))
end
step(legacy and "started through require('latch').setup() with vim.lsp.start" or "started through vim.lsp.enable('latch')")

vim.cmd.edit(vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
if vim.bo[bufnr].filetype ~= 'json' then
  fail('filetype is `' .. vim.bo[bufnr].filetype .. '`, expected `json`')
end

local client
if
  not vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'latch' })[1]
    return client ~= nil and client.initialized
  end, 50)
then
  fail('no `latch` client attached to the buffer within ' .. TIMEOUT .. ' ms')
end
step(('client attached: %s (position encoding %s)'):format(client.name, client.offset_encoding))
if client.config.root_dir ~= dir and vim.uv.fs_realpath(client.config.root_dir or '') ~= vim.uv.fs_realpath(dir) then
  fail(('root_dir is `%s`, expected the folder with latch.toml `%s`'):format(tostring(client.config.root_dir), dir))
end

local function latch_diagnostics()
  return vim.tbl_filter(function(d)
    return d.source == 'latch'
  end, vim.diagnostic.get(bufnr))
end

local function find(code)
  for _, d in ipairs(latch_diagnostics()) do
    if d.code == code then
      return d
    end
  end
end

local function codes()
  local out = {}
  for _, d in ipairs(latch_diagnostics()) do
    out[#out + 1] = tostring(d.code)
  end
  return table.concat(out, ', ')
end

local function wait_for(what, pred)
  if not vim.wait(TIMEOUT, pred, 50) then
    fail(('timed out after %d ms waiting for %s; diagnostics now: [%s]'):format(TIMEOUT, what, codes()))
  end
end

wait_for('`policy/invalid-effect` and `syntax/missing-comma`', function()
  return find('policy/invalid-effect') ~= nil and find('syntax/missing-comma') ~= nil
end)
step('diagnostics: ' .. codes())

-- Hover on the `Effect` value: the `deny` on line 5 (0-based 4).
local effect = find('policy/invalid-effect')
local hover_pos = { line = effect.lnum, character = 0 }
do
  local line = vim.api.nvim_buf_get_lines(bufnr, effect.lnum, effect.lnum + 1, false)[1]
  local byte = line:find('"deny"', 1, true)
  if not byte then
    fail('line ' .. (effect.lnum + 1) .. ' has no `"deny"`: ' .. line)
  end
  hover_pos.character = vim.str_utfindex(line, client.offset_encoding, byte)
end
local hover = client:request_sync('textDocument/hover', {
  textDocument = vim.lsp.util.make_text_document_params(bufnr),
  position = hover_pos,
}, TIMEOUT, bufnr)
if not hover or hover.err then
  fail('hover request failed: ' .. vim.inspect(hover and hover.err or 'timeout'))
end
if not hover.result or not hover.result.contents then
  fail('hover on the `Effect` value returned nothing')
end
local hover_text = vim.inspect(hover.result.contents)
step('hover: ' .. hover_text:gsub('%s+', ' '):sub(1, 120))

--- Asks for the quick fixes of diagnostic `d` and applies the first one whose title matches.
local function apply_fix(d, title_pattern)
  local lsp_diag = d.user_data and d.user_data.lsp
  if not lsp_diag then
    fail('diagnostic `' .. tostring(d.code) .. '` carries no LSP data')
  end
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' }, triggerKind = 1 },
  }
  local resp = client:request_sync('textDocument/codeAction', params, TIMEOUT, bufnr)
  if not resp or resp.err then
    fail('code action request failed: ' .. vim.inspect(resp and resp.err or 'timeout'))
  end
  local titles = {}
  for _, action in ipairs(resp.result or {}) do
    titles[#titles + 1] = action.title
    if action.title:find(title_pattern) and action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      step(('applied quick fix `%s` for %s'):format(action.title, d.code))
      return
    end
  end
  fail(('no quick fix matching `%s` for `%s`; got %s'):format(title_pattern, d.code, vim.inspect(titles)))
end

apply_fix(effect, 'Deny')
wait_for('`policy/invalid-effect` to clear after its fix', function()
  return find('policy/invalid-effect') == nil
end)
local comma = find('syntax/missing-comma')
if not comma then
  fail('`syntax/missing-comma` vanished before its fix was applied')
end
apply_fix(comma, '.')
wait_for('`syntax/missing-comma` to clear after its fix', function()
  return find('syntax/missing-comma') == nil and find('policy/invalid-effect') == nil
end)

-- The buffer must now be the seed with exactly the two fixes applied.
local expected = table.concat(lines, '\n'):gsub('\n$', '')
expected = expected:gsub('"deny"', '"Deny"', 1):gsub('"s3:GetObject"\n', '"s3:GetObject",\n', 1)
local got = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
if got ~= expected then
  fail('the fixed text is not what the fixes promise:\n--- got\n' .. got .. '\n--- expected\n' .. expected)
end
step('text after fixes is correct; remaining diagnostics: [' .. codes() .. ']')

-- `:LatchExplain` (plugin/latch.lua, which `-u NONE` does not source by itself): open a
-- policy of tests/fixtures/denied, so a client starts there, put an AWS error in a
-- register and explain it. The answer must open the deciding statement of the bucket
-- policy (s3/bucket.json line 19) and show the comparison in a floating window.
vim.cmd('runtime plugin/latch.lua')
if vim.fn.exists(':LatchExplain') ~= 2 then
  fail('plugin/latch.lua did not define `:LatchExplain`')
end
local fixture = repo .. '/tests/fixtures/denied'
vim.cmd.edit(vim.fn.fnameescape(fixture .. '/iam/jane.json'))
local jane_buf = vim.api.nvim_get_current_buf()
local denied_client
if
  not vim.wait(TIMEOUT, function()
    denied_client = vim.lsp.get_clients({ bufnr = jane_buf, name = 'latch' })[1]
    return denied_client ~= nil and denied_client.initialized
  end, 50)
then
  fail('no `latch` client attached to tests/fixtures/denied within ' .. TIMEOUT .. ' ms')
end
vim.fn.setreg('a', {
  'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::111122223333:user/Jane',
  'is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::example-reports/restricted/salaries.csv"',
  'with an explicit deny in a resource-based policy',
})
local latch = require('latch')
-- The server indexes the folder in the background: ask until the answer rests on it.
local explained = vim.wait(TIMEOUT, function()
  latch.last_explanation = nil
  vim.cmd('LatchExplain a')
  vim.wait(2000, function()
    return latch.last_explanation ~= nil
  end, 20)
  return latch.last_explanation ~= nil and latch.last_explanation.agrees == true
end, 200)
if not explained then
  fail('`:LatchExplain a` did not explain the error: ' .. vim.inspect(latch.last_explanation))
end
local answer = latch.last_explanation
local here = vim.api.nvim_buf_get_name(0)
if not here:match('s3/bucket%.json$') then
  fail('`:LatchExplain` opened `' .. here .. '`, expected s3/bucket.json')
end
local cursor = vim.api.nvim_win_get_cursor(0)
if cursor[1] ~= 19 then
  fail(('`:LatchExplain` put the cursor on line %d, expected the `RestrictedPrefix` statement on line 19'):format(cursor[1]))
end
local floating = 0
for _, win in ipairs(vim.api.nvim_list_wins()) do
  if vim.api.nvim_win_get_config(win).relative ~= '' then
    local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
    if text:find('the workspace explains this error', 1, true) then
      floating = floating + 1
    end
  end
end
if floating == 0 then
  fail('`:LatchExplain` showed no floating window with the answer')
end
step(('`:LatchExplain` opened %s:%d (%s); decision %s'):format(
  vim.fs.basename(here), cursor[1], answer.deciding[1].statement, answer.decision))
-- Bad input: an error message, no panic, and the client still answers.
latch.last_explanation = nil
vim.fn.setreg('b', 'the build failed with exit code 1')
vim.cmd('LatchExplain b')
vim.wait(TIMEOUT, function()
  return latch.last_explanation ~= nil
end, 20)
if not (latch.last_explanation and latch.last_explanation.error
    and latch.last_explanation.error:find('no access denied error found', 1, true)) then
  fail('bad input did not give a readable error: ' .. vim.inspect(latch.last_explanation))
end
step('`:LatchExplain` on bad input: ' .. latch.last_explanation.error:sub(1, 60))
denied_client:stop()

-- Code lenses (the README's autocmd): `vim.lsp.codelens.refresh()` on a `latch.toml` with
-- `[[expect]]` entries shows one lens per entry.
vim.api.nvim_create_autocmd({ 'LspAttach', 'BufEnter', 'InsertLeave', 'BufWritePost' }, {
  callback = function(args)
    if vim.lsp.get_clients({ bufnr = args.buf, name = 'latch' })[1] then
      vim.lsp.codelens.refresh({ bufnr = args.buf })
    end
  end,
})
vim.cmd.edit(vim.fn.fnameescape(repo .. '/examples/cross-account-kms/latch.toml'))
local toml_buf = vim.api.nvim_get_current_buf()
if
  not vim.wait(TIMEOUT, function()
    vim.lsp.codelens.refresh({ bufnr = toml_buf })
    vim.wait(300, function()
      return #vim.lsp.codelens.get(toml_buf) > 0
    end, 20)
    return #vim.lsp.codelens.get(toml_buf) > 0
  end, 100)
then
  fail('no code lens on the `[[expect]]` entries of examples/cross-account-kms/latch.toml')
end
step(('code lenses after vim.lsp.codelens.refresh(): %d, first `%s`'):format(
  #vim.lsp.codelens.get(toml_buf), tostring((vim.lsp.codelens.get(toml_buf)[1].command or {}).title)))

-- Where Latch starts: in a repository without `latch.toml`, an unrelated JSON file
-- (package.json) starts nothing, a policy starts Latch at the repository's root.
local plain = vim.fn.tempname()
vim.fn.mkdir(plain .. '/.git', 'p')
vim.fn.mkdir(plain .. '/infra', 'p')
vim.fn.writefile({ '{"name": "app", "version": "1.0.0"}' }, plain .. '/package.json')
vim.fn.writefile({ '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}' },
  plain .. '/infra/policy.json')
vim.cmd.edit(vim.fn.fnameescape(plain .. '/package.json'))
local pkg_buf = vim.api.nvim_get_current_buf()
vim.wait(1500, function()
  return vim.lsp.get_clients({ bufnr = pkg_buf, name = 'latch' })[1] ~= nil
end, 50)
if vim.lsp.get_clients({ bufnr = pkg_buf, name = 'latch' })[1] ~= nil then
  fail('Latch started for package.json in a repository without latch.toml')
end
vim.cmd.edit(vim.fn.fnameescape(plain .. '/infra/policy.json'))
local policy_buf = vim.api.nvim_get_current_buf()
local plain_client
if
  not vim.wait(TIMEOUT, function()
    plain_client = vim.lsp.get_clients({ bufnr = policy_buf, name = 'latch' })[1]
    return plain_client ~= nil
  end, 50)
then
  fail('Latch did not start for a policy in a repository without latch.toml')
end
if vim.uv.fs_realpath(plain_client.config.root_dir or '') ~= vim.uv.fs_realpath(plain) then
  fail(('root_dir is `%s`, expected the repository `%s`'):format(tostring(plain_client.config.root_dir), plain))
end
step('no client for package.json; a policy starts Latch at the repository root')
plain_client:stop()

-- Clean shutdown: the server must exit after shutdown/exit.
client:stop()
if
  not vim.wait(5000, function()
    return client:is_stopped()
  end, 50)
then
  fail('the server did not stop within 5 s of shutdown/exit')
end
step('PASS (' .. (legacy and 'setup() with vim.lsp.start' or 'vim.lsp.enable') .. ')')
os.exit(0)
