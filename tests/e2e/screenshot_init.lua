-- Neovim configuration for the README screenshot (tests/e2e/screenshot.sh): the plugin from
-- editors/neovim, diagnostics as virtual text, and, once Latch has answered, the hover of
-- the faulty `Effect` value in a floating window.

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
    for _, d in ipairs(vim.diagnostic.get(args.buf)) do
      if d.code == 'policy/invalid-effect' then
        shown = true
        vim.defer_fn(function()
          vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col + 1 })
          -- Open the float after the cursor move has been handled, or CursorMoved closes it.
          vim.defer_fn(function()
            if vim.env.LATCH_SHOT == 'float' then
              vim.diagnostic.open_float({ border = 'rounded' })
            else
              vim.lsp.buf.hover({ border = 'rounded' })
            end
          end, 200)
        end, 300)
        return
      end
    end
  end,
})
