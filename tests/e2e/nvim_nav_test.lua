-- End-to-end test of Latch's navigation and who-can lenses in a real Neovim (0.11+), run
-- headless by tests/e2e/nvim.sh:
--
--   nvim --headless -u NONE -l tests/e2e/nvim_nav_test.lua <latch-binary>
--
-- It copies tests/fixtures/nav into a temporary folder, opens its main.tf, and asks for the
-- document symbols (names and exact ranges), jumps to the definition of a reference to a
-- policy document, lists the references to the bucket, and runs the bucket's code lens,
-- whose command (`latch.whoCan`, handled by the plugin) must show the who-can table. Any
-- failure exits non-zero with a message that says which step failed.

local binary = arg[1]
local TIMEOUT = tonumber(vim.env.LATCH_E2E_TIMEOUT_MS or '') or 15000

local function fail(msg)
  io.stderr:write('nvim nav e2e: FAIL: ' .. msg .. '\n')
  io.stderr:flush()
  os.exit(1)
end

local function step(msg)
  io.stdout:write('nvim nav e2e: ' .. msg .. '\n')
  io.stdout:flush()
end

if not binary or vim.fn.executable(binary) ~= 1 then
  fail('usage: nvim --headless -u NONE -l nvim_nav_test.lua <latch-binary>')
end
if vim.fn.has('nvim-0.11') ~= 1 then
  fail('needs Neovim 0.11 or later')
end

local script_dir = vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')))
local repo = vim.fs.dirname(vim.fs.dirname(script_dir))
vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
vim.cmd('filetype on')

-- A copy of the fixture, so the test never writes into the repository.
local dir = vim.fn.tempname()
for _, rel in ipairs({ 'latch.toml', 'main.tf', 'iam/reader.json', 'kms/key.json' }) do
  local to = dir .. '/' .. rel
  vim.fn.mkdir(vim.fs.dirname(to), 'p')
  vim.fn.writefile(vim.fn.readfile(repo .. '/tests/fixtures/nav/' .. rel, 'b'), to, 'b')
end

vim.lsp.config('latch', { cmd = { binary, 'lsp' } })
vim.lsp.enable('latch')
vim.cmd.edit(vim.fn.fnameescape(dir .. '/main.tf'))
local bufnr = vim.api.nvim_get_current_buf()
local client
if
  not vim.wait(TIMEOUT, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'latch' })[1]
    return client ~= nil and client.initialized
  end, 50)
then
  fail('no `latch` client attached to main.tf (filetype `' .. vim.bo[bufnr].filetype .. '`) within ' .. TIMEOUT .. ' ms')
end
step(('client attached to main.tf (filetype %s, encoding %s)'):format(vim.bo[bufnr].filetype, client.offset_encoding))

local function request(method, params)
  local resp = client:request_sync(method, params, TIMEOUT, bufnr)
  if not resp or resp.err then
    fail(method .. ' failed: ' .. vim.inspect(resp and resp.err or 'timeout'))
  end
  return resp.result
end

local doc = { uri = vim.uri_from_bufnr(bufnr) }

-- Document symbols: the blocks that hold, carry or attach policies, with exact ranges.
local symbols = request('textDocument/documentSymbol', { textDocument = doc })
local names = {}
for _, s in ipairs(symbols or {}) do
  names[#names + 1] = s.name
end
local expected = 'aws_s3_bucket.reports, aws_iam_role.writer, data.aws_iam_policy_document.trust, aws_iam_role_policy.writer, aws_s3_bucket_policy.reports'
if table.concat(names, ', ') ~= expected then
  fail('document symbols are [' .. table.concat(names, ', ') .. '], expected [' .. expected .. ']')
end
local r = symbols[3].range
if r.start.line ~= 9 or r.start.character ~= 0 or r['end'].line ~= 18 or r['end'].character ~= 1 then
  fail('the data source symbol has range ' .. vim.inspect(r) .. ', expected 9:0-18:1')
end
local statement = symbols[3].children and symbols[3].children[1]
if not statement or statement.name ~= 'Assume' then
  fail('the data source has no `Assume` statement symbol: ' .. vim.inspect(symbols[3].children))
end
step('document symbols: ' .. table.concat(names, ', '))

-- Go to definition from `data.aws_iam_policy_document.trust.json` (line 7).
local line7 = vim.api.nvim_buf_get_lines(bufnr, 6, 7, false)[1]
local col = line7:find('data.aws_iam_policy_document', 1, true)
if not col then
  fail('line 7 has no reference to the policy document: ' .. line7)
end
local locations = request('textDocument/definition', {
  textDocument = doc,
  position = { line = 6, character = vim.str_utfindex(line7, client.offset_encoding, col + 10) },
})
local loc = locations and locations[1]
if not loc or loc.uri ~= doc.uri or loc.range.start.line ~= 9 then
  fail('definition of the document reference is ' .. vim.inspect(locations) .. ', expected main.tf line 10')
end
vim.lsp.util.show_document(loc, client.offset_encoding, { focus = true })
local cursor = vim.api.nvim_win_get_cursor(0)
if cursor[1] ~= 10 then
  fail('jumping to the definition put the cursor on line ' .. cursor[1] .. ', expected 10')
end
step('definition: jumped to line ' .. cursor[1] .. ': ' .. vim.api.nvim_get_current_line())

-- The lenses rest on the whole folder, which the server reads in the background: ask
-- until the bucket's lens counts its readers.
local want = 'read by 2 · written by 1 · external: 999988887777 (only if its own policies allow)'
local lens
if
  not vim.wait(TIMEOUT, function()
    local found = request('textDocument/codeLens', { textDocument = doc }) or {}
    for _, l in ipairs(found) do
      if l.range.start.line == 0 and l.command and l.command.title == want then
        lens = l
      end
    end
    return lens ~= nil
  end, 200)
then
  fail('no code lens `' .. want .. '` on the bucket: ' .. vim.inspect(request('textDocument/codeLens', { textDocument = doc })))
end
step('code lens on the bucket: ' .. lens.command.title)

-- References to the bucket: the reader's policy, the intent, the two Terraform grants.
local refs = request('textDocument/references', {
  textDocument = doc,
  position = { line = 0, character = 20 },
  context = { includeDeclaration = false },
})
if #(refs or {}) ~= 4 then
  fail('expected 4 references to the bucket, got ' .. vim.inspect(refs))
end
step(('references to the bucket: %d'):format(#refs))

-- Run the lens as a user does (`vim.lsp.codelens.run()` on its line): the plugin's
-- `latch.whoCan` command asks the server and shows the table.
vim.lsp.codelens.refresh({ bufnr = bufnr })
if
  not vim.wait(TIMEOUT, function()
    for _, l in ipairs(vim.lsp.codelens.get(bufnr)) do
      if l.command and l.command.title == want then
        return true
      end
    end
    return false
  end, 50)
then
  fail('vim.lsp.codelens did not show the bucket lens')
end
vim.api.nvim_win_set_cursor(0, { 1, 0 })
local latch = require('latch')
latch.last_who_can = nil
vim.lsp.codelens.run()
if not vim.wait(TIMEOUT, function()
  return latch.last_who_can ~= nil
end, 50) then
  fail('running the lens did not call `latch.whoCan`')
end
local md = latch.last_who_can.markdown or ''
if not md:find('arn:aws:iam::999988887777:role/Partner', 1, true) or not md:find('role/Writer', 1, true) then
  fail('the who-can table misses principals: ' .. vim.inspect(latch.last_who_can))
end
local floating = false
for _, win in ipairs(vim.api.nvim_list_wins()) do
  if vim.api.nvim_win_get_config(win).relative ~= '' then
    local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
    floating = floating or text:find('Who can reach', 1, true) ~= nil
  end
end
if not floating then
  fail('the who-can table was not shown in a floating window')
end
step('lens command showed the who-can table')

client:stop()
vim.wait(5000, function()
  return client:is_stopped()
end, 50)
vim.fn.delete(dir, 'rf')
step('PASS')
os.exit(0)
