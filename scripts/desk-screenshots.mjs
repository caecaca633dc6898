// The README's pictures of the desk: Basra's page and the "Record an event" form, in English and in
// Arabic, taken with playwright-core and Debian's Chromium against a running server whose Basra has no
// events yet (a fresh database). Every fact shown is recorded here with the source that reports it.
//
//   GT_SEED=bare npm start, then: BASE=http://127.0.0.1:3000 ADMIN_API_KEY=… node scripts/desk-screenshots.mjs   # writes docs/desk-*.png

import { chromium } from 'playwright-core';

const BASE = process.env.BASE ?? 'http://127.0.0.1:3000';
const ADMIN = process.env.ADMIN_API_KEY;
const OUT = process.env.OUT ?? 'docs';
if (!ADMIN) throw new Error('ADMIN_API_KEY: an admin key of the server at BASE');

const SHAFAQ = { name: 'Shafaq News', url: 'https://shafaq.com/en/Iraq/After-a-decade-Iraqi-provincial-councils-elect-new-leaders' };
const MEDIA964 = { name: '964media', url: 'https://en.964media.com/10597/' };

async function call(method, path, key, body) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const { key: editor } = await call('POST', '/admin/api-keys', ADMIN, { name: 'basra-desk', role: 'editor' });
if ((await call('GET', '/provinces/basra', editor)).version !== 0) throw new Error('Basra already has events: run against a fresh database');
for (const event of [
  {
    type: 'REPORT',
    kind: 'note',
    text: 'State of Law threatens to boycott the first council session if Governor Asaad al-Eidani remains the nominee for governor.',
    occurredAt: '2024-01-28T12:00:00+03:00',
    source: MEDIA964,
    note: 'Time of day not reported: 12:00 stands for 28 January, the report’s dateline.',
  },
  {
    type: 'CONVENE',
    chair: 'Khalaf al-Badran',
    occurredAt: '2024-02-05T13:00:00+03:00',
    source: SHAFAQ,
    note: 'Time of day not reported: 13:00 stands for Monday 5 February, the day Shafaq News reports.',
  },
]) {
  await call('POST', '/provinces/basra/events', editor, event);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
try {
  for (const lang of ['en', 'ar']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: lang === 'ar' ? 'ar-IQ' : 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${BASE}/#/provinces/basra`);
    // The page starts in the browser's language (ar-IQ: Arabic), as a desk in Baghdad would see it.
    await page.locator('#api-key').fill(editor);
    await page.locator('#api-key').press('Enter');
    await page.locator('#connection[data-state="live"]').waitFor();
    if ((await page.evaluate('document.documentElement.lang')) !== lang) await page.locator('#lang-switch').click();
    await page.locator('#pp-chart').waitFor({ state: 'visible' });
    await page.waitForFunction("document.getElementById('pp-chart').complete");
    const suffix = lang === 'ar' ? '-ar' : '';
    await page.screenshot({ path: `${OUT}/desk-province${suffix}.png`, fullPage: true });

    // The form, filled with the day's fact as Shafaq News reports it, before it is recorded (a tall
    // window, so that the sticky masthead stays clear of it).
    await page.setViewportSize({ width: 1280, height: 2200 });
    await page.locator('#ev-type').selectOption('REPORT');
    const form = page.locator('#pp-record');
    await form.locator('[name="kind"]').selectOption('note');
    await form
      .locator('[name="text"]')
      .fill(lang === 'ar' ? 'جدّد مجلس محافظة البصرة ولاية المحافظ أسعد العيداني.' : 'The council renewed the mandate of Governor Asaad al-Eidani.');
    await form.locator('[name="occurredAt"]').fill('2024-02-05T13:00');
    await form.locator('[name="source.name"]').fill(SHAFAQ.name);
    await form.locator('[name="source.url"]').fill(SHAFAQ.url);
    await form.screenshot({ path: `${OUT}/desk-form${suffix}.png` });
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`wrote ${OUT}/desk-province.png, desk-province-ar.png, desk-form.png, desk-form-ar.png`);
