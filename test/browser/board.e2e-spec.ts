import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { initialFormationState } from '@app/workflow';
import { postEvent, setupSuite } from '../support/test-app.js';

/**
 * The newsroom board (GET /) in a real browser: Debian's Chromium driven by playwright-core against
 * the real app listening on a random port. One page goes through the flow in order: sign in, read,
 * acknowledge, watch changes arrive, lose and regain the stream, filter, then phone width.
 */

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUTPUT = join(process.cwd(), 'test-output');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface ProvinceJson {
  slug: string;
  name: string;
  nameAr: string;
  deadline: string;
  daysToDeadline: number;
  governor: unknown;
}
interface AlertJson {
  id: string;
  province: string;
  status: string;
  acknowledgedBy: string | null;
}

let suite: Awaited<ReturnType<typeof setupSuite>>;
let base: string;

beforeAll(async () => {
  suite = await setupSuite('board');
  await suite.app.running.app.listen({ port: 0, host: '127.0.0.1' });
  base = await suite.app.running.app.getUrl();
}, 120_000);

afterAll(async () => {
  await suite?.teardown();
});

const get = (path: string, key: string) => suite.app.http().get(path).set(suite.auth(key));

/** Today in Baghdad as the board writes it ("28 Nov 2026"), from the API's own count of days since the deadline. */
function formatDay(p: ProvinceJson): string {
  const day = new Date(Date.parse(`${p.deadline}T00:00:00Z`) - p.daysToDeadline * 86_400_000);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(day);
}

function overdueText(days: number): string {
  if (days === 0) return 'Due today';
  const n = Math.abs(days);
  return `${n} ${n === 1 ? 'day' : 'days'} ${days > 0 ? 'left' : 'overdue'}`;
}

describe('the board page over HTTP', () => {
  test('GET / is public HTML with its own strict CSP, revalidated on every load', async () => {
    const res = await suite.app.http().get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("style-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const again = await suite.app.http().get('/').set('if-none-match', res.headers.etag);
    expect(again.status).toBe(304);
  });

  test('the page has no inline script or style and no third-party URL', async () => {
    const html = (await suite.app.http().get('/')).text;
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const scripts = html.match(/<script[^>]*>/gi) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/\ssrc="\/api\/v1\/board\//);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  test('assets have their content types, are cached for good under the current version, and nothing else is served', async () => {
    const html = (await suite.app.http().get('/')).text;
    const urls = [...html.matchAll(/(?:src|href)="(\/api\/v1\/board\/[^"]+)"/g)].map((m) => m[1]);
    expect(urls.map((u) => u.split('/').pop()).sort()).toEqual(['board.css', 'board.js', 'favicon.svg']);
    const types: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };
    for (const url of [...urls, urls.find((u) => u.endsWith('board.js'))!.replace('board.js', 'stream.js')]) {
      const res = await suite.app.http().get(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(types[url.split('.').pop()!]);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await suite.app.http().get(url).set('if-none-match', res.headers.etag)).status).toBe(304);
    }
    const stale = await suite.app.http().get('/api/v1/board/an-old-version/board.css');
    expect(stale.status).toBe(200);
    expect(stale.headers['cache-control']).toBe('no-cache');
    for (const path of ['/api/v1/board/v/index.html', '/api/v1/board/v/stream.d.ts', '/api/v1/board/v/..%2Fboard.module.ts', '/api/v1/board/v/nope.js']) {
      const res = await suite.app.http().get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('the board in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requests: Request[] = [];
  const pageErrors: string[] = [];
  let navigations = 0;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: the board's browser test needs Debian's package (apt-get install chromium; .ci/run does it).`);
    }
    mkdirSync(OUTPUT, { recursive: true });
    // launch() gives every run a fresh temporary profile (user data dir), removed on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    // A browser far from Baghdad: the countdowns must not follow its zone.
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, timezoneId: 'America/Los_Angeles', locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('request', (r) => requests.push(r));
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations += 1;
    });
    await context.addInitScript(() => {
      const w = globalThis as unknown as { cspViolations: string[]; addEventListener: (t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void) => void };
      w.cspViolations = [];
      w.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  test('asks for a key, then shows the 15 provinces with Arabic names and Baghdad-day countdowns; the key stays in the tab', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('API key').waitFor();
    expect(await page.locator('#board').isHidden()).toBe(true);

    await page.getByLabel('API key').fill('not-a-real-key-0000000000');
    await page.getByLabel('API key').press('Enter');
    await page.getByText('This key was refused').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    await page.getByLabel('API key').fill(suite.keys.viewer);
    await page.getByLabel('API key').press('Enter');
    await page.locator('#province-rows tr').nth(14).waitFor();
    await page.locator('#connection[data-state="live"]').waitFor();
    expect(await page.locator('#connection-text').textContent()).toBe('Live');

    const api = (await get('/api/v1/provinces', suite.keys.viewer)).body.items as ProvinceJson[];
    expect(api).toHaveLength(15);
    const rows = page.locator('#province-rows tr');
    expect(await rows.count()).toBe(15);
    expect(await page.locator('#province-caption').textContent()).toBe('All 15 provinces that voted; 15 without a governor');
    for (const p of api) {
      const row = page.locator(`#province-${p.slug}`);
      expect(await row.locator('.province__name').textContent()).toBe(p.name);
      const ar = row.locator('th [lang="ar"]');
      expect(await ar.textContent()).toBe(p.nameAr);
      expect(await ar.getAttribute('dir')).toBe('rtl');
      // Computed in the page from the Baghdad calendar; the API computes the same on the server.
      expect(await row.locator('.countdown').textContent()).toBe(overdueText(p.daysToDeadline));
      expect(await row.locator('.badge').textContent()).toContain('Breached');
      expect(await row.locator('td[data-label="Deadline"] time').textContent()).toBe('9 Feb 2024');
    }
    expect(await page.locator('#summary .tile--breached .tile__count').textContent()).toBe('15');

    const stored = await page.evaluate('JSON.stringify([sessionStorage.getItem("governor-tracker.api-key"), localStorage.length, document.cookie])');
    expect(JSON.parse(stored as string)).toEqual([suite.keys.viewer, 0, '']);
    expect(await context.cookies()).toEqual([]);
    expect(page.url()).toBe(`${base}/`);
    for (const r of requests) expect(r.url()).not.toContain(suite.keys.viewer);
    const stream = requests.find((r) => r.url() === `${base}/api/v1/stream`);
    expect(stream?.headers().authorization).toBe(`Bearer ${suite.keys.viewer}`);
    expect(await page.locator('body').innerText()).not.toContain(suite.keys.viewer);

    // The formation timeline: the API's SVG, fetched with the key and shown from a blob: URL.
    await page.locator('#timeline-chart').waitFor({ state: 'visible' });
    await page.waitForFunction("(() => { const img = document.getElementById('timeline-chart'); return img.complete && img.naturalWidth > 600; })()");
    expect(await page.locator('#timeline-chart').getAttribute('src')).toMatch(/^blob:/);
  });

  test('acknowledges an alert from the keyboard; it stays listed (active until it clears), marked acknowledged; focus moves to the next alert', async () => {
    const open = (await get('/api/v1/alerts', suite.keys.viewer)).body.items as AlertJson[];
    // In the present every province without a governor is past the deadline: the boot sweep opened 15 breaches.
    expect(open).toHaveLength(15);
    expect(await page.locator('#alerts-list > li').count()).toBe(15);
    expect(await page.locator('#alerts-count').textContent()).toBe('(15)');

    const first = open[0];
    const button = page.locator(`#alert-${first.id} button`);
    expect(await button.textContent()).toMatch(/^Acknowledge /);
    await button.focus();
    await page.keyboard.press('Enter');
    const acknowledged = page.locator(`#alert-${first.id}`);
    await acknowledged.locator('.alert__acked').waitFor();
    expect(await acknowledged.locator('.alert__acked').textContent()).toMatch(/^Acknowledged by viewer-desk, /);
    expect(await acknowledged.locator('button').count()).toBe(0);
    // Every breach is still active: the list agrees with the BREACHED tile.
    expect(await page.locator('#alerts-list > li').count()).toBe(15);
    expect(await page.locator('#alerts-count').textContent()).toBe('(15)');
    expect(await page.locator('#summary .tile--breached .tile__count').textContent()).toBe('15');
    expect(await page.locator('#alerts-title').textContent()).toMatch(/^Active alerts/);
    expect(await page.evaluate('document.activeElement.textContent')).toMatch(/^Acknowledge /);
    expect(await page.evaluate('document.activeElement.closest("li").id')).toBe(`alert-${open[1].id}`);

    // A reload lists it still, acknowledged: the board reads open and acknowledged alerts.
    await page.reload();
    await page.locator(`#alert-${first.id} .alert__acked`).waitFor();
    await page.locator('#alerts-count', { hasText: '(15)' }).waitFor();
    await page.locator('#connection[data-state="live"]').waitFor();

    const all = (await get('/api/v1/alerts?status=all', suite.keys.viewer)).body.items as AlertJson[];
    const acked = all.find((a) => a.id === first.id);
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'viewer-desk' });
  });

  test("shows an editor's changes as they are posted, without reloading the page", async () => {
    await page.evaluate('window.boardMarker = "set-before-the-change"');
    const before = navigations;

    const tier = await postEvent(suite.app, suite.keys.editor, 'kirkuk', { type: 'ASSIGN_TIER', tier: 'B' });
    expect(tier.status).toBe(201);
    const kirkuk = page.locator('#province-kirkuk');
    await kirkuk.locator('td[data-label="Tier"]', { hasText: 'B' }).waitFor();
    expect(await kirkuk.locator('.stage__label').textContent()).toBe('Tier assigned');
    expect(await kirkuk.getAttribute('data-version')).toBe('1');

    // Basra chooses its governor after the deadline: the row turns "met late" and its breach alert resolves.
    const basraAlert = ((await get('/api/v1/alerts', suite.keys.viewer)).body.items as AlertJson[]).find((a) => a.province === 'basra')!;
    expect(await page.locator(`#alert-${basraAlert.id}`).count()).toBe(1);
    for (const body of [
      { type: 'ASSIGN_TIER', tier: 'A' },
      { type: 'NOMINATE', candidate: { name: 'Asaad al-Eidani', nameAr: 'أسعد العيداني', bloc: 'Tasmim' } },
      { type: 'APPOINT', governor: 'Asaad al-Eidani', votes: 16, present: 22 },
    ]) {
      expect((await postEvent(suite.app, suite.keys.editor, 'basra', body)).status).toBe(201);
    }
    const basra = page.locator('#province-basra');
    await basra.locator('.badge', { hasText: 'Met late' }).waitFor();
    expect(await basra.locator('.person__name').textContent()).toBe('Asaad al-Eidani');
    expect(await basra.locator('.person__ar').getAttribute('dir')).toBe('rtl');
    expect(await basra.locator('.stage__label').textContent()).toBe('Governor appointed');
    const basraNow = (await get('/api/v1/provinces/basra', suite.keys.viewer)).body as ProvinceJson;
    expect(await basra.locator('.countdown').textContent()).toBe(`Appointed ${formatDay(basraNow)}, ${-basraNow.daysToDeadline} days late`);
    await page.locator(`#alert-${basraAlert.id}`).waitFor({ state: 'detached' });
    expect(await page.locator('#alerts-count').textContent()).toBe('(14)');
    expect(await page.locator('#summary .tile--met_late .tile__count').textContent()).toBe('1');

    expect(await page.evaluate('window.boardMarker')).toBe('set-before-the-change');
    expect(navigations).toBe(before);
  });

  test('lists unconfirmed claims as they are reported, marked unconfirmed, and drops one once confirmed', async () => {
    expect(await page.locator('#claims-count').textContent()).toBe('(0)');
    const post = (path: string, body: Record<string, unknown>) =>
      suite.app.http().post(`/api/v1/provinces/${path}`).set(suite.auth(suite.keys.editor)).send({ source: { name: 'Shafaq News' }, ...body });
    const claim = await post('najaf/claims', { text: 'Youssef Kanawi will be Najaf’s governor' });
    expect(claim.status).toBe(201);
    const item = page.locator(`#claim-${claim.body.id}`);
    await item.waitFor();
    expect(await item.locator('.claim__kind').textContent()).toBe('Unconfirmed');
    expect(await item.locator('.alert__province').textContent()).toContain('Najaf');
    expect(await item.locator('.claim__text').textContent()).toBe('“Youssef Kanawi will be Najaf’s governor”');
    expect(await page.locator('#claims-count').textContent()).toBe('(1)');

    expect((await post(`najaf/claims/${claim.body.id}/deny`, {})).status).toBe(200);
    await item.locator('.claim__kind', { hasText: 'Unconfirmed · denied' }).waitFor();
    expect((await post(`najaf/claims/${claim.body.id}/confirm`, {})).status).toBe(200);
    await item.waitFor({ state: 'detached' });
    expect(await page.locator('#claims-count').textContent()).toBe('(0)');
  });

  test('says when the stream drops and when it comes back, then keeps updating', async () => {
    await page.evaluate(`
      window.connectionStates = [];
      const box = document.getElementById('connection');
      new MutationObserver(() => window.connectionStates.push(box.dataset.state + ': ' + document.getElementById('connection-text').textContent))
        .observe(box, { attributes: true, subtree: true, childList: true, characterData: true });
    `);
    // Cut every open connection, the event stream's included; the server keeps listening.
    suite.app.running.app.getHttpServer().closeAllConnections();
    await page.locator('#connection-text', { hasText: 'Live again since' }).waitFor({ timeout: 15_000 });
    const states = (await page.evaluate('window.connectionStates')) as string[];
    expect(states.some((s) => /^reconnecting: Live updates lost at \d\d:\d\d:\d\d/.test(s))).toBe(true);
    expect(states.at(-1)).toMatch(/^live: Live again since \d\d:\d\d:\d\d \(dropped at \d\d:\d\d:\d\d\)$/);

    expect((await postEvent(suite.app, suite.keys.editor, 'najaf', { type: 'ASSIGN_TIER', tier: 'C' })).status).toBe(201);
    await page.locator('#province-najaf td[data-label="Tier"]', { hasText: 'C' }).waitFor();
    expect(await page.evaluate('window.boardMarker')).toBe('set-before-the-change');
  });

  test('filters by tier and by status', async () => {
    const slugs = async () => page.locator('#province-rows tr').evaluateAll((trs) => trs.map((tr) => tr.id));
    await page.getByLabel('Tier', { exact: true }).selectOption('A');
    expect(await slugs()).toEqual(['province-basra']);
    await page.getByLabel('Tier', { exact: true }).selectOption('none');
    expect(await slugs()).toHaveLength(12);
    await page.getByLabel('Deadline status', { exact: true }).selectOption('met_late');
    expect(await slugs()).toEqual([]);
    expect(await page.getByText('No province matches these filters.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('#province-rows tr').nth(14).waitFor();
    await page.locator('#summary .tile--met_late').click();
    expect(await slugs()).toEqual(['province-basra']);
    expect(await page.getByLabel('Deadline status', { exact: true }).inputValue()).toBe('met_late');
    expect(await page.locator('#province-caption').textContent()).toBe('1 of 15 provinces match the filters');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('#province-rows tr').nth(14).waitFor();
  });

  test('a cycle picker: the default first; another cycle shows its own provinces and alerts and hears only its own news; the URL keeps the choice', async () => {
    // A second cycle beside the seeded one, with the same 15 councils (POST /cycles is another change: SQL here).
    const db = suite.app.running.database.dataSource;
    const [{ id }] = await db.query(
      `INSERT INTO cycle (slug, name, election_date, deadline, deadline_basis, timezone)
       VALUES ('iraq-2025', 'Iraq 2025 (second cycle)', '2025-01-15', '2025-03-01', 'Test basis.', 'Asia/Baghdad') RETURNING id`,
    );
    for (const p of (await get('/api/v1/provinces', suite.keys.viewer)).body.items as (ProvinceJson & { code: string; seats: number })[]) {
      const state = initialFormationState(p.seats);
      await db.query(
        `INSERT INTO province (cycle_id, slug, code, name, name_ar, seats, stage, state, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)`,
        [id, p.slug, p.code, p.name, p.nameAr, p.seats, state.stage, JSON.stringify(state)],
      );
    }
    const other = (slug: string, body: Record<string, unknown>) =>
      suite.app.http().post(`/api/v1/cycles/iraq-2025/provinces/${slug}/events`).set(suite.auth(suite.keys.editor)).send({ source: { name: 'Shafaq News' }, ...body });
    expect((await other('basra', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2025-01-20T10:00:00+03:00' })).status).toBe(201);
    expect((await get('/api/v1/cycles/iraq-2025/provinces/kirkuk', suite.keys.viewer)).body).toMatchObject({ tier: null, stage: 'criteria' });

    // A reload reads the cycles again (the key is still in the tab): two, the default first and chosen.
    await page.reload();
    const picker = page.getByLabel('Selection cycle');
    await page.locator('#cycle-picker option').nth(1).waitFor({ state: 'attached' });
    expect(await page.locator('#cycle-picker option').evaluateAll((os) => os.map((o) => [o.getAttribute('value'), o.textContent]))).toEqual([
      ['iraq-2023', 'iraq-2023 (default)'],
      ['iraq-2025', 'Iraq 2025 (second cycle)'],
    ]);
    expect(await picker.inputValue()).toBe('iraq-2023');
    await page.locator('#province-basra .badge', { hasText: 'Met late' }).waitFor();
    expect(page.url()).toBe(`${base}/`);

    await picker.selectOption('iraq-2025');
    await page.locator('#province-basra td[data-label="Tier"]', { hasText: 'C' }).waitFor();
    expect(page.url()).toBe(`${base}/#cycle=iraq-2025`);
    expect(await page.locator('#province-rows tr').count()).toBe(15);
    expect(await page.locator('#province-basra .stage__label').textContent()).toBe('Tier assigned');
    expect(await page.locator('#province-kirkuk td[data-label="Tier"]').textContent()).not.toContain('B');
    expect(await page.locator('#cycle-deadline').textContent()).toBe('1 Mar 2025, end of day');
    // Its alerts: the one its only event opened (its deadline passed too), none of the default cycle's.
    const otherAlerts = (await get('/api/v1/alerts?cycle=iraq-2025', suite.keys.viewer)).body.items as AlertJson[];
    expect(otherAlerts.map((a) => a.province)).toEqual(['basra']);
    await page.locator('#alerts-count', { hasText: '(1)' }).waitFor();
    expect(await page.locator(`#alert-${otherAlerts[0].id}`).count()).toBe(1);

    // News of the default cycle is not this board's (it reads nothing for it); its own arrives live. The
    // notices come in the order of the events: once the second shows, the first was heard and passed over.
    const mark = requests.length;
    expect((await postEvent(suite.app, suite.keys.editor, 'muthanna', { type: 'ASSIGN_TIER', tier: 'A' })).status).toBe(201);
    expect((await other('kirkuk', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2025-01-21T10:00:00+03:00' })).status).toBe(201);
    await page.locator('#province-kirkuk td[data-label="Tier"]', { hasText: 'B' }).waitFor();
    const since = requests.slice(mark).map((r) => new URL(r.url()).pathname);
    expect(since).toContain('/api/v1/cycles/iraq-2025/provinces/kirkuk');
    expect(since.filter((u) => u.includes('muthanna'))).toEqual([]);
    expect(await page.locator('#province-muthanna td[data-label="Tier"]').textContent()).not.toContain('A');

    // Back: the default cycle again, as it stands (muthanna got tier A there meanwhile).
    await page.goBack();
    await page.locator('#province-muthanna td[data-label="Tier"]', { hasText: 'A' }).waitFor();
    expect(page.url()).toBe(`${base}/`);
    expect(await picker.inputValue()).toBe('iraq-2023');
    await page.locator('#province-basra .badge', { hasText: 'Met late' }).waitFor();

    // A link to the other cycle opens the board on it.
    await page.goto(`${base}/#cycle=iraq-2025`);
    await page.reload();
    await page.locator('#province-basra td[data-label="Tier"]', { hasText: 'C' }).waitFor();
    expect(await picker.inputValue()).toBe('iraq-2025');
    await page.goto(`${base}/`);
    await page.reload();
    await page.locator('#province-basra .badge', { hasText: 'Met late' }).waitFor();
    expect(await picker.inputValue()).toBe('iraq-2023');
  });

  test('a vacancy: the row shows no deadline, the acting governor and the contest, and the page keeps working (issue 21: the history has them)', async () => {
    for (const body of [
      { type: 'NOMINATE', candidate: { name: 'Nasif Jasim al-Khattabi' } },
      { type: 'APPOINT', governor: 'Nasif Jasim al-Khattabi' },
      { type: 'VACATE', reason: 'resigned' },
      { type: 'ACTING', name: 'An Acting Governor', kind: 'acting' },
      { type: 'CONTEST', by: 'A council bloc', grounds: 'the resignation was forced' },
    ]) {
      expect((await postEvent(suite.app, suite.keys.editor, 'karbala', body)).status).toBe(201);
    }
    const row = page.locator('#province-karbala');
    await row.locator('.badge', { hasText: 'No deadline' }).waitFor();
    expect(await row.locator('td[data-label="Deadline"]').textContent()).toBe('No deadline set');
    expect(await row.locator('.countdown').textContent()).toBe('No deadline set');
    expect(await row.locator('.person__role').first().textContent()).toBe('Acting governor');
    expect(await row.locator('.people__contested').textContent()).toBe('Contested by A council bloc');
    expect(await page.locator('#cycle-countdown').textContent()).toMatch(/^Passed \d+ days ago$/);
  });

  test('saves screenshots at desktop and phone width; no horizontal scrolling on a phone', async () => {
    await page.screenshot({ path: join(OUTPUT, 'board.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.locator('#province-basra [lang="ar"]').first().isVisible()).toBe(true);
    expect(await page.locator('#alerts-list button').first().isVisible()).toBe(true);
    await page.screenshot({ path: join(OUTPUT, 'board-phone.png'), fullPage: true });
    expect(existsSync(join(OUTPUT, 'board.png'))).toBe(true);
  });

  test('no CSP violation, script error or console error happened on the page', async () => {
    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    // Chromium logs two deliberate failures as errors: the wrong key's 401 and the stream cut mid-response.
    const expected = [/^console: .*401 \(Unauthorized\) \(.*\/api\/v1\/cycle\)$/, /^console: .*ERR_INCOMPLETE_CHUNKED_ENCODING \(.*\/api\/v1\/stream\)$/];
    expect(pageErrors.filter((e) => !expected.some((re) => re.test(e)))).toEqual([]);
  });

  test.each([
    // 01:30 on 10 Feb in Baghdad, still 9 Feb (12:30) in Honolulu: one day overdue, not "due today".
    { zone: 'Pacific/Honolulu', now: '2024-02-09T22:30:00Z', expected: '1 day overdue', cycle: 'Passed 1 day ago' },
    // 23:30 on 9 Feb in Baghdad, already 10 Feb (10:30) on Kiritimati: still due today.
    { zone: 'Pacific/Kiritimati', now: '2024-02-09T20:30:00Z', expected: 'Due today', cycle: 'Due today' },
  ])('counts days on the Baghdad calendar whatever the browser zone ($zone at $now)', async ({ zone, now, expected, cycle }) => {
    const other = await browser.newContext({ timezoneId: zone, viewport: { width: 1280, height: 900 } });
    try {
      const p = await other.newPage();
      p.setDefaultTimeout(10_000);
      await p.clock.setFixedTime(new Date(now));
      await p.goto(`${base}/`);
      await p.getByLabel('API key').fill(suite.keys.viewer);
      await p.getByLabel('API key').press('Enter');
      const row = p.locator('#province-wasit');
      await row.waitFor();
      expect(await row.locator('.countdown').textContent()).toBe(expected);
      expect(await p.locator('#cycle-countdown').textContent()).toBe(cycle);
      expect(await row.locator('td[data-label="Deadline"] time').textContent()).toBe('9 Feb 2024');
      expect(await p.locator('#cycle-zone').textContent()).toBe('Ends 9 Feb 2024, 23:59 Baghdad time (Asia/Baghdad)');
    } finally {
      await other.close();
    }
  });
});
