-- `:[range]LatchExplain [register]`: explain a pasted AWS access denied error (an error
-- message, S3's `Access Denied`, a CloudTrail record or a decoded authorization message)
-- against the workspace. Reads the lines of the range, else the register (default: the
-- unnamed register), opens the deciding statement and shows the trace next to it.
if vim.g.loaded_latch == 1 then
  return
end
vim.g.loaded_latch = 1

vim.api.nvim_create_user_command('LatchExplain', function(cmd)
  require('latch').explain_command(cmd)
end, { range = true, nargs = '?', desc = 'Latch: explain an AccessDenied error' })
