// Opens /docs in headless Chromium, authorises with a bearer token and tries listDepartments from
// the page. Usage: NODE_PATH=<folder with playwright-core> BASE=http://127.0.0.1:PORT TOKEN=… node docs-check.js [shot.png]
const { chromium } = require('playwright-core');
const base = process.env.BASE || 'http://127.0.0.1:8080';
if (!/^http:\/\/(127\.0\.0\.1|localhost):/.test(base)) throw new Error('BASE must be on 127.0.0.1');
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const external = [];
    page.on('request', r => { if (!r.url().startsWith(base)) external.push(r.url()); });
    await page.goto(base + '/', { waitUntil: 'networkidle' });        // / leads to /docs
    await page.waitForSelector('#operations-identity-listDepartments', { timeout: 30000 });
    const operations = await page.locator('.opblock-summary').count();
    await page.click('button.authorize');
    await page.fill('.modal-ux input[type=text]', process.env.TOKEN);
    await page.click('.modal-ux button.authorize');
    await page.click('.modal-ux button.btn-done');
    const op = page.locator('#operations-identity-listDepartments');
    await op.locator('.opblock-summary').click();
    await op.locator('button.try-out__btn').click();
    await op.locator('button.execute').click();
    const status = await op.locator('.live-responses-table .response .response-col_status').first().innerText({ timeout: 30000 });
    const curl = await op.locator('.curl-command').innerText();
    if (process.argv[2]) await page.screenshot({ path: process.argv[2], fullPage: false });
    console.log(JSON.stringify({ url: page.url(), operations, status: status.trim(), bearer: /Authorization: Bearer /.test(curl), external }));
    if (operations < 43 || status.trim() !== '200' || external.length) process.exitCode = 1;
  } finally {
    await browser.close();
  }
})();
