// Drives real VS Code (code-server) in Debian's Chromium with playwright-core, with the healthlint .vsix installed:
// opens the spec, waits for the error squiggle, reads the Problems panel and the hover, takes a screenshot,
// applies the https quick fix, saves, and checks the file on disk and the re-lint.
// Usage: node vscode-ui.js <codeServerUrl> <absWorkspaceDir> <relFile> <outDir>
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [url, wsDir, relFile, outDir] = process.argv.slice(2);
const t0 = Date.now();
const lap = (message) => console.log(`[${((Date.now() - t0) / 1000).toFixed(2)}s] ${message}`);

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  // Playwright refuses --user-data-dir in args: a fresh profile goes through launchPersistentContext.
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let failed = false;
  const page = browser.pages()[0] || (await browser.newPage());
  try {
    await page.goto(`${url}/?folder=${encodeURIComponent(wsDir)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${path.basename(relFile)}"]`).first().waitFor({ timeout: 60000 });
    lap('workbench and explorer ready');

    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget input');
    await quickOpen.waitFor({ timeout: 15000 });
    await quickOpen.fill(relFile);
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 15000 });
    lap('spec opened');

    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    lap('error squiggle rendered');

    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'server-plaintext-http' }).first().waitFor({ timeout: 15000 });
    const problems = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    lap('problems: ' + JSON.stringify(problems.map((text) => text.replace(/\s+/g, ' '))));
    if (!problems.some((text) => /operation-auth-missing/.test(text))) throw new Error('operation-auth-missing not in the Problems panel');

    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    const box = await squiggle.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'healthlint server-plaintext-http' }).first();
    await hover.waitFor({ timeout: 15000 });
    const hoverText = (await hover.innerText()).replace(/\s+/g, ' ');
    lap('hover: ' + hoverText.slice(0, 300));
    if (!/How to fix/.test(hoverText)) throw new Error('hover lacks the rule explanation');
    await page.screenshot({ path: path.join(outDir, 'vscode-healthlint.png') });
    lap('screenshot written');

    // Quick fix on the squiggle: put the cursor in it, close the hover, Ctrl+. and pick the https fix.
    // The code-action request is asynchronous and the hover can swallow the first keystroke: retry a few times.
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Use https' }).first();
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Control+.');
      try {
        await action.waitFor({ timeout: 5000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await page.keyboard.press('Escape');
      }
    }
    await action.click();
    await page.locator('.monaco-editor .view-line', { hasText: 'https://clinic.example.org/api' }).first().waitFor({ timeout: 15000 });
    lap('quick fix applied in the editor');
    await page.keyboard.press('Control+S');
    const file = path.join(wsDir, relFile);
    for (let attempt = 0; attempt < 100 && !fs.readFileSync(file, 'utf8').includes('https://clinic.example.org/api'); attempt++) await page.waitForTimeout(100);
    if (!fs.readFileSync(file, 'utf8').includes('  - url: https://clinic.example.org/api\n')) throw new Error('the fix did not reach the file on disk');
    lap('file on disk has the https URL');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 30000 });
    lap('error squiggle gone after re-lint');
  } catch (error) {
    failed = true;
    console.error('E2E FAIL:', error.message);
    await page.screenshot({ path: path.join(outDir, 'vscode-failure.png') }).catch(() => {});
  } finally {
    await browser.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  console.log(failed ? 'E2E FAILED' : 'E2E OK');
  process.exit(failed ? 1 : 0);
})();
