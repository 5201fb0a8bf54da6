-- Headless Neovim (Debian's 0.7.2 and newer) against healthlint-language-server: waits for diagnostics,
-- asks for code actions on the plain-http server URL, applies the https fix and waits for the re-lint.
-- Writes its observations to stdout; exits 0 on success, 1 with "E2E FAIL: ..." on stderr otherwise.
local server_js = assert(os.getenv('SERVER_JS'), 'set SERVER_JS')
local timeout_ms = tonumber(os.getenv('LSP_TIMEOUT_MS') or '15000')
local out = function(s) io.stdout:write(s .. '\n') end

local function finish(code)
  for _, c in pairs(vim.lsp.get_active_clients()) do c.stop() end
  vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
  io.stdout:flush()
  if code == 0 then vim.cmd('qall!') else vim.cmd('cquit ' .. code) end
end

local function lsp_code(d)
  local lsp = d.user_data and d.user_data.lsp
  return d.code or (lsp and lsp.code)
end

local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  local fname = vim.api.nvim_buf_get_name(bufnr)
  local config = { name = 'healthlint', cmd = { 'node', server_js, '--stdio' }, root_dir = vim.fn.fnamemodify(fname, ':p:h') }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config, { bufnr = bufnr })
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  assert(client_id, 'client did not start')

  local function find_http()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if lsp_code(d) == 'server-plaintext-http' then return d end
    end
  end
  assert(vim.wait(timeout_ms, function() return find_http() ~= nil end, 50), 'no server-plaintext-http diagnostic within ' .. timeout_ms .. ' ms')
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    out(string.format('DIAG %d:%d %s %s', d.lnum + 1, d.col + 1, tostring(lsp_code(d)), tostring(d.source)))
  end

  local d = find_http()
  -- Neovim sends back what it stored; the server fills in the fix data from its own published diagnostic.
  local lsp_diag = {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    severity = d.severity, message = d.message, source = d.source, code = lsp_code(d),
  }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = lsp_diag.range, context = { diagnostics = { lsp_diag } },
  }, timeout_ms)
  local actions = {}
  for _, r in pairs(res or {}) do for _, a in ipairs(r.result or {}) do table.insert(actions, a) end end
  for _, a in ipairs(actions) do out('ACTION ' .. a.title) end
  assert(#actions > 0 and actions[1].edit, 'no code action with an edit')
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(actions[1].edit, client.offset_encoding or 'utf-16')
  out('LINE4_AFTER_FIX ' .. vim.api.nvim_buf_get_lines(bufnr, 3, 4, false)[1])
  assert(vim.wait(timeout_ms, function() return find_http() == nil end, 50), 'finding still there after the fix')
  out('RELINTED ' .. #vim.diagnostic.get(bufnr))
end)

if not ok then
  io.stderr:write('E2E FAIL: ' .. tostring(err) .. '\n')
  finish(1)
else
  out('E2E OK')
  finish(0)
end
