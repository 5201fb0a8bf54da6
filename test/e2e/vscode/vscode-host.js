// Runs the extension-host test suite (client/test, compiled to out/client-test) inside real VS Code served by
// code-server, driven by Debian's Chromium: the @vscode/test-electron contract (extensionDevelopmentPath +
// extensionTestsPath), which code-server honours with --vscode-option enable-smoke-test-driver.
// Usage: node vscode-host.js <codeServerUrl> <absWorkspaceDir> <absExtensionDir> <absTestsModule> <outDir>
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');

const [url, wsDir, extensionDir, testsModule, outDir] = process.argv.slice(2);
const remote = (absolutePath) => `vscode-remote://${new URL(url).host}${absolutePath}`;

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || (await context.newPage());
  let resolveExit;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  // The workbench calls window.codeAutomationExit(code) when the extension tests settle.
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  // Extension-host console output arrives as ('%c INFO', 'color: ...', format, ...args): print it plainly.
  page.on('console', async (message) => {
    let args;
    try {
      args = await Promise.all(message.args().map((arg) => arg.jsonValue()));
    } catch {
      args = [message.text()];
    }
    if (typeof args[0] === 'string' && args[0].startsWith('%c')) {
      const level = args[0].replace('%c', '').trim();
      if (level === 'INFO' || level === 'ERR' || level === 'WARN') console.log((level === 'INFO' ? '' : level + ' ') + util.format(...args.slice(2)));
    }
  });
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(testsModule)],
  ]);
  await page.goto(`${url}/?folder=${encodeURIComponent(wsDir)}&payload=${encodeURIComponent(payload)}`);
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 150000))]);
  console.log(`extension host tests finished: code=${code}`);
  if (code !== 0) {
    fs.mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: path.join(outDir, 'vscode-host-failure.png') }).catch(() => {});
  }
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(code === 0 ? 0 : 1);
})();
