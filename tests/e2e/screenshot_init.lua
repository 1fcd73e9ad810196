-- Neovim configuration for the README screenshot (tests/e2e/screenshot.sh): the plugin from
-- editors/neovim, diagnostics as virtual text, and, once Latch has answered, the hover of
-- the statement at the missing comma in a floating window (below the line, so that both
-- diagnostics stay visible).

local repo = vim.env.LATCH_REPO
vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
vim.cmd('filetype plugin indent on')
vim.cmd('syntax on')
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.laststatus = 2
vim.o.swapfile = false
vim.o.shortmess = vim.o.shortmess .. 'I'
vim.diagnostic.config({ virtual_text = { prefix = '●', spacing = 2 }, severity_sort = true })

vim.lsp.config('latch', { cmd = { vim.env.LATCH_PATH, 'lsp' } })
vim.lsp.enable('latch')

local shown = false
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function(args)
    if shown then
      return
    end
    local by_code = {}
    for _, d in ipairs(vim.diagnostic.get(args.buf)) do
      by_code[d.code] = d
    end
    local comma = by_code['syntax/missing-comma']
    if comma == nil or by_code['policy/invalid-effect'] == nil then
      return
    end
    shown = true
    vim.defer_fn(function()
      vim.api.nvim_win_set_cursor(0, { comma.lnum + 1, comma.col + 1 })
      -- Open the float after the cursor move has been handled, or CursorMoved closes it.
      vim.defer_fn(function()
        if vim.env.LATCH_SHOT == 'float' then
          vim.diagnostic.open_float({ border = 'rounded' })
        else
          vim.lsp.buf.hover({ border = 'rounded', max_width = 100 })
        end
      end, 200)
    end, 300)
  end,
})
