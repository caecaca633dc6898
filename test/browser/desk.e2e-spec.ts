import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { postEvent, setupSuite } from '../support/test-app.js';

/**
 * The desk (issue 22) in a real browser: Debian's Chromium driven by playwright-core against the real
 * app on a random port. Editors record, correct, propose and approve; a reporter logs a call; every
 * page follows the others live; Arabic turns the whole page right to left; viewer and public keys are
 * offered nothing they may not do; axe-core finds nothing serious. The tests share one database and
 * run in order, each on its own provinces.
 */

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUTPUT = join(process.cwd(), 'test-output');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHAFAQ = { 'source.name': 'Shafaq News', 'source.url': 'https://shafaq.com/en/Iraq/After-a-decade-Iraqi-provincial-councils-elect-new-leaders' };

interface EventJson {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: string;
  actor: string;
  approvedBy: string | null;
  retracted: boolean;
  retractionReason: string | null;
}

let suite: Awaited<ReturnType<typeof setupSuite>>;
let base: string;
let editorTwo: string;
let publicKey: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
const posts: Request[] = [];

const http = () => suite.app.http();
const get = (path: string, key = suite.keys.viewer) => http().get(`/api/v1${path}`).set(suite.auth(key));
const eventsOf = async (slug: string) => (await get(`/provinces/${slug}/events`)).body.items as EventJson[];

async function makeKey(name: string, role: string): Promise<string> {
  const res = await http().post('/api/v1/admin/api-keys').set(suite.auth(suite.keys.admin)).send({ name, role });
  if (res.status !== 201) throw new Error(`key ${name}: ${res.status}`);
  return res.body.key as string;
}

beforeAll(async () => {
  suite = await setupSuite('desk');
  await suite.app.running.app.listen({ port: 0, host: '127.0.0.1' });
  base = await suite.app.running.app.getUrl();
  editorTwo = await makeKey('editor-two', 'editor');
  publicKey = await makeKey('website', 'public');
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: the desk's browser test needs Debian's package (apt-get install chromium).`);
  mkdirSync(OUTPUT, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await suite?.teardown();
});

// Each test's pages are closed after it (every open page reloads on every change: left open, they
// would slow the later tests), their CSP violations kept for the last test.
afterEach(async () => {
  for (const context of contexts.splice(0)) {
    for (const page of context.pages()) {
      for (const v of (await page.evaluate('window.cspViolations').catch(() => [])) as string[]) problems.push(`csp: ${v}`);
    }
    await context.close();
  }
});

/** A fresh browser context signed in with `key` at `hash`; its errors, CSP violations and POSTs are collected. */
async function openAs(key: string, hash: string, { width = 1400, live = true, permissions = [] as string[] } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 1000 }, timezoneId: 'Europe/London', locale: 'en-GB' });
  contexts.push(context);
  if (permissions.length) await context.grantPermissions(permissions, { origin: base });
  await context.addInitScript(() => {
    const w = globalThis as unknown as { cspViolations: string[]; addEventListener: (t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void) => void };
    w.cspViolations = [];
    w.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r);
  });
  await page.goto(`${base}/${hash}`);
  await page.getByLabel('API key').fill(key);
  await page.getByLabel('API key').press('Enter');
  await page.locator('#sign-in').waitFor({ state: 'hidden' });
  if (live) await page.locator('#connection[data-state="live"]').waitFor();
  if (hash.startsWith('#/provinces/')) await page.locator('#pp-title').filter({ hasText: /\S/ }).waitFor();
  return page;
}

/** Fill the fields of a form by their body paths (the inputs' names); selects are chosen by value. */
async function fill(scope: ReturnType<Page['locator']>, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    const field = scope.locator(`[name="${name}"]`);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

/** Choose an event type on the page's "Record an event" form and fill its fields (not submitted). */
async function prepareEvent(page: Page, type: string, values: Record<string, string>) {
  const form = page.locator('#pp-record');
  await form.locator('#ev-type').selectOption(type);
  await fill(form, values);
  return form;
}

async function recordEvent(page: Page, type: string, values: Record<string, string>) {
  const form = await prepareEvent(page, type, values);
  const before = await page.locator('#ev-status').textContent();
  await form.locator('#ev-submit').click();
  // A function, not a string: the page's CSP forbids eval.
  await page.waitForFunction((old) => {
    const doc = (globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document;
    const text = doc.getElementById('ev-status')?.textContent;
    return Boolean(text) && text !== old;
  }, before);
  return (await page.locator('#ev-status').textContent()) ?? '';
}

async function offered(page: Page): Promise<string[]> {
  return page.locator('#ev-type option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
}

describe('the desk in Chromium', () => {
  test('an editor records TIER → CONVENE → NOMINATE → APPOINT through the page: only allowed events, Baghdad times, 8 of 15 refused with the majority reason, 9 accepted', async () => {
    const page = await openAs(suite.keys.editor, '#/provinces/wasit');
    const wasit = (await get('/provinces/wasit')).body as { allowedEvents: string[] };
    expect(await offered(page)).toEqual(wasit.allowedEvents);

    expect(await recordEvent(page, 'ASSIGN_TIER', { tier: 'B', occurredAt: '2024-01-20T10:00', ...SHAFAQ })).toBe('Recorded: Assign a tier (event 1), 20 Jan 2024, 10:00 Baghdad time.');
    expect(await offered(page)).toEqual(((await get('/provinces/wasit')).body as { allowedEvents: string[] }).allowedEvents);
    expect(await recordEvent(page, 'CONVENE', { chair: 'Ali Hussein Suleiman', occurredAt: '2024-02-05T10:00', ...SHAFAQ })).toMatch(/^Recorded: The council convenes \(event 2\)/);
    expect(
      await recordEvent(page, 'NOMINATE', {
        'candidate.name': 'Mohammed Jamil al-Miyahi',
        'candidate.nameAr': 'محمد جميل المياحي',
        occurredAt: '2024-02-05T11:00',
        ...SHAFAQ,
      }),
    ).toMatch(/^Recorded: Nominate a candidate \(event 3\), 5 Feb 2024, 11:00 Baghdad time\.$/);
    expect(await offered(page)).toEqual(['NOMINATE', 'WITHDRAW', 'APPOINT', 'SET_DEADLINE', 'REPORT', 'ACTING']);

    // 8 votes of 15: the API's guard-failed, said on the form in plain words, the votes field marked.
    const form = await prepareEvent(page, 'APPOINT', { governor: 'Mohammed Jamil al-Miyahi', votes: '8', present: '15', occurredAt: '2024-02-05T12:00', ...SHAFAQ });
    expect(await page.locator('#ev-hint').textContent()).toContain('An absolute majority of 15 seats is 9 votes.');
    // The browser shows a datetime input in its own locale's order: the page says it back in words.
    expect(await form.locator('.field--occurredAt .field__echo').textContent()).toBe('That is 5 Feb 2024, 12:00 in Baghdad.');
    await form.locator('#ev-submit').click();
    await page.locator('#ev-problem', { hasText: '8 votes of 15 is not an absolute majority (9).' }).waitFor();
    expect(await form.locator('[name="votes"]').getAttribute('aria-invalid')).toBe('true');
    expect((await eventsOf('wasit')).map((e) => e.type)).toEqual(['ASSIGN_TIER', 'CONVENE', 'NOMINATE']);

    await form.locator('[name="votes"]').fill('9');
    await form.locator('#ev-submit').click();
    await page.locator('#ev-status', { hasText: 'Recorded: Elect the governor (event 4), 5 Feb 2024, 12:00 Baghdad time.' }).waitFor();
    const events = await eventsOf('wasit');
    expect(events.map((e) => [e.seq, e.type, e.occurredAt])).toEqual([
      [1, 'ASSIGN_TIER', '2024-01-20T07:00:00.000Z'],
      [2, 'CONVENE', '2024-02-05T07:00:00.000Z'],
      [3, 'NOMINATE', '2024-02-05T08:00:00.000Z'],
      [4, 'APPOINT', '2024-02-05T09:00:00.000Z'],
    ]);
    expect(events[2].payload).toEqual({ candidate: { name: 'Mohammed Jamil al-Miyahi', nameAr: 'محمد جميل المياحي' } });
    expect(events[3].payload).toEqual({ governor: 'Mohammed Jamil al-Miyahi', votes: 9, present: 15 });

    // Shown back in Baghdad time, whatever the browser's zone (London here); the facts follow.
    expect(await page.locator('#event-4 .hist__when').textContent()).toBe('5 Feb 2024, 12:00');
    expect(await page.locator('#event-2 .hist__what').textContent()).toBe('Chair of the session: Ali Hussein Suleiman');
    await page.locator('.pp-facts .badge--met', { hasText: 'Met' }).waitFor();
    expect(await page.locator('.pp-facts .person__name').textContent()).toBe('Mohammed Jamil al-Miyahi');
    expect(await offered(page)).toEqual(['DECREE', 'REVOKE', 'REPORT', 'VACATE', 'CONTEST', 'RULING']);

    // Every write carried If-Match (the version the editor saw) and its own Idempotency-Key.
    const writes = posts.filter((r) => r.url().endsWith('/api/v1/provinces/wasit/events'));
    expect(writes).toHaveLength(5);
    expect(writes.map((r) => r.headers()['if-match'])).toEqual(['"0"', '"1"', '"2"', '"3"', '"3"']);
    const keys = writes.map((r) => r.headers()['idempotency-key']);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(5);
  });

  test('a second browser context sees the change without reloading', async () => {
    const watcher = await openAs(suite.keys.viewer, '#/provinces/babil');
    await watcher.evaluate('window.deskMarker = "before"');
    let navigations = 0;
    watcher.on('framenavigated', (f) => {
      if (f === watcher.mainFrame()) navigations += 1;
    });
    const editor = await openAs(suite.keys.editor, '#/provinces/babil');
    await recordEvent(editor, 'ASSIGN_TIER', { tier: 'C', occurredAt: '2024-01-21T09:00', ...SHAFAQ });
    await watcher.locator('#pp-history-list [data-type="ASSIGN_TIER"]').waitFor();
    await watcher.locator('.pp-facts .stage__label', { hasText: 'Tier assigned' }).waitFor();
    expect(await watcher.locator('.pp-facts .tier').textContent()).toBe('C');
    expect(await watcher.evaluate('window.deskMarker')).toBe('before');
    expect(navigations).toBe(0);
  });

  test('two editors on one province: the second submit gets the 412 message, keeps what was typed, and records after a reload', async () => {
    const first = await openAs(suite.keys.editor, '#/provinces/najaf');
    const second = await openAs(editorTwo, '#/provinces/najaf');
    await prepareEvent(first, 'REPORT', { kind: 'note', text: 'First editor: the council meets on Monday', ...SHAFAQ });
    const secondForm = await prepareEvent(second, 'REPORT', { kind: 'rumor', text: 'Second editor: a deal on the governor is close', ...SHAFAQ });

    await first.locator('#ev-submit').click();
    await first.locator('#ev-status', { hasText: 'Recorded: Report (event 1)' }).waitFor();
    // The second page hears of it while its editor is still writing, and says so.
    await second.locator('#ev-changed', { hasText: 'This province changed while you were writing (now version 1)' }).waitFor();

    await secondForm.locator('#ev-submit').click();
    await second.locator('#ev-problem', { hasText: 'Someone changed this province since you opened this form — reload it to see what changed.' }).waitFor();
    expect(await secondForm.locator('[name="text"]').inputValue()).toBe('Second editor: a deal on the governor is close');
    expect(await secondForm.locator('[name="kind"]').inputValue()).toBe('rumor');
    expect((await eventsOf('najaf')).map((e) => e.payload.text)).toEqual(['First editor: the council meets on Monday']);

    await second.getByRole('button', { name: 'Reload the province (keeps what you typed)' }).click();
    await second.locator('#ev-status', { hasText: 'Reloaded: the form now answers version 1.' }).waitFor();
    expect(await secondForm.locator('[name="text"]').inputValue()).toBe('Second editor: a deal on the governor is close');
    await secondForm.locator('#ev-submit').click();
    await second.locator('#ev-status', { hasText: 'Recorded: Report (event 2)' }).waitFor();
    expect((await eventsOf('najaf')).map((e) => [e.seq, e.actor, e.payload.text])).toEqual([
      [1, 'editor-desk', 'First editor: the council meets on Monday'],
      [2, 'editor-two', 'Second editor: a deal on the governor is close'],
    ]);
    const najafWrites = posts.filter((r) => r.url().endsWith('/provinces/najaf/events'));
    expect(najafWrites.map((r) => r.headers()['if-match'])).toEqual(['"0"', '"0"', '"1"']);
  });

  test('a double-clicked submit stores one event; the same request sent again is replayed, not stored twice', async () => {
    const page = await openAs(suite.keys.editor, '#/provinces/karbala');
    const form = await prepareEvent(page, 'REPORT', { kind: 'note', text: 'Karbala council session called for Monday', ...SHAFAQ });
    const before = posts.length;
    await form.locator('#ev-submit').dblclick();
    await page.locator('#ev-status', { hasText: 'Recorded: Report (event 1)' }).waitFor();
    await page.waitForTimeout(300);
    const sent = posts.slice(before).filter((r) => r.url().endsWith('/provinces/karbala/events'));
    expect(sent).toHaveLength(1);
    expect(await eventsOf('karbala')).toHaveLength(1);

    // Had the browser sent it twice (a retry after a lost answer), the key makes the second a replay.
    const replay = await page.evaluate(
      async ({ url, headers, body }) => {
        const r = await fetch(url, { method: 'POST', headers, body });
        return { status: r.status, replayed: r.headers.get('idempotent-replayed') };
      },
      { url: sent[0].url(), headers: sent[0].headers(), body: sent[0].postData()! },
    );
    expect(replay).toEqual({ status: 201, replayed: 'true' });
    expect(await eventsOf('karbala')).toHaveLength(1);
  });

  test('a retraction with its reason strikes the event through; one that would break the history is refused naming the event', async () => {
    const page = await openAs(suite.keys.editor, '#/provinces/karbala');
    await page.locator('#event-1').getByRole('button', { name: 'Retract event 1' }).click();
    const box = page.locator('#retract-1');
    await box.locator('[name="reason"]').fill('The session was never called: the report was wrong');
    await box.getByRole('button', { name: 'Retract event 1' }).click();
    await page.locator('#event-1 del').first().waitFor();
    expect(await page.locator('#event-1 .hist__retraction').textContent()).toMatch(/^Retracted by editor-desk on \d{1,2} \w{3} \d{4}, \d\d:\d\d: The session was never called: the report was wrong$/);
    expect(await page.locator('#event-1').getByRole('button', { name: 'Retract event 1' }).count()).toBe(0);
    const [event] = await eventsOf('karbala');
    expect(event).toMatchObject({ retracted: true, retractionReason: 'The session was never called: the report was wrong' });

    // Wasit: without its nomination, the appointment (event 4) would have no nominee.
    const wasit = await openAs(suite.keys.editor, '#/provinces/wasit');
    await wasit.locator('#event-3').getByRole('button', { name: 'Retract event 3' }).click();
    await wasit.locator('#retract-3 [name="reason"]').fill('Testing a conflict');
    await wasit.locator('#retract-3').getByRole('button', { name: 'Retract event 3' }).click();
    await wasit.locator('#retract-3-problem', { hasText: 'This would break event 4 (Elect the governor, 5 Feb 2024, 12:00) later in the history, so nothing was changed.' }).waitFor();
    expect((await eventsOf('wasit')).some((e) => e.retracted)).toBe(false);
  });

  test('a backdated event asks first: "this goes before 2 later events", then takes its place in the history', async () => {
    const page = await openAs(suite.keys.editor, '#/provinces/wasit');
    const form = await prepareEvent(page, 'REPORT', { kind: 'note', text: 'Session opened with 15 members present', occurredAt: '2024-02-05T10:30', ...SHAFAQ });
    await form.locator('#ev-submit').click();
    const confirm = page.locator('#ev-backdate');
    await confirm.waitFor();
    expect(await confirm.locator('#ev-backdate-text').textContent()).toBe(
      'This goes before 2 later events (Nominate a candidate, 5 Feb 2024, 11:00; Elect the governor, 5 Feb 2024, 12:00); the history will be replayed from there.',
    );
    expect(await eventsOf('wasit')).toHaveLength(4);
    await confirm.getByRole('button', { name: 'Record it before them' }).click();
    await page.locator('#ev-status', { hasText: 'Recorded: Report (event 5), 5 Feb 2024, 10:30 Baghdad time.' }).waitFor();
    expect((await eventsOf('wasit')).map((e) => e.seq)).toEqual([1, 2, 5, 3, 4]);
    await page.locator('#event-5').waitFor();
    expect(await page.locator('#pp-history-list > li').evaluateAll((items) => items.map((li) => li.id))).toEqual(['event-1', 'event-2', 'event-5', 'event-3', 'event-4']);
  });

  test('the two-person rule end to end with two keys: proposed, waiting, approved by the second editor, live on both pages', async () => {
    expect((await http().patch('/api/v1/cycle').set(suite.auth(suite.keys.admin)).send({ requireApproval: true })).status).toBe(200);
    try {
      for (const body of [
        { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-07-01T10:00:00+03:00' },
        { type: 'NOMINATE', candidate: { name: 'Rebwar Taha', nameAr: 'ريبوار طه', bloc: 'PUK' }, occurredAt: '2024-08-10T11:00:00+03:00' },
      ]) {
        expect((await postEvent(suite.app, suite.keys.editor, 'kirkuk', body)).status).toBe(201);
      }
      const proposer = await openAs(suite.keys.editor, '#/provinces/kirkuk');
      const approver = await openAs(editorTwo, '#/provinces/kirkuk');
      expect(await approver.locator('#pp-proposals').isHidden()).toBe(true);

      expect(await recordEvent(proposer, 'APPOINT', { governor: 'Rebwar Taha', votes: '9', present: '9', occurredAt: '2024-08-10T15:00', 'source.name': 'Shafaq News', 'source.url': 'https://shafaq.com/en/Iraq/Kirkuk-governor-Rebwar-Taha-takes-Oath-ready-to-begin-duties' })).toBe(
        'Proposed: Elect the governor. Waiting for a second editor.',
      );
      const mine = proposer.locator('#pp-proposals-list > li');
      await mine.locator('.pp-waiting', { hasText: 'Waiting for a second editor to approve.' }).waitFor();
      expect(await mine.getByRole('button', { name: 'Approve' }).count()).toBe(0);
      expect(await mine.getByRole('button', { name: 'Withdraw' }).count()).toBe(1);
      expect((await get('/provinces/kirkuk')).body.governor).toBeNull();

      // The second editor's page hears of the proposal (proposal.changed) and offers Approve.
      const theirs = approver.locator('#pp-proposals-list > li');
      await theirs.getByRole('button', { name: 'Approve' }).click();
      await approver.locator('.pp-facts .person__name', { hasText: 'Rebwar Taha' }).waitFor();
      await proposer.locator('.pp-facts .person__name', { hasText: 'Rebwar Taha' }).waitFor();
      await proposer.locator('#pp-proposals').waitFor({ state: 'hidden' });
      const appoint = (await eventsOf('kirkuk')).find((e) => e.type === 'APPOINT')!;
      expect(appoint).toMatchObject({ actor: 'editor-desk', approvedBy: 'editor-two' });
      expect(await proposer.locator(`#event-${appoint.seq} .hist__meta`).textContent()).toContain('approved by editor-two');
    } finally {
      expect((await http().patch('/api/v1/cycle').set(suite.auth(suite.keys.admin)).send({ requireApproval: false })).status).toBe(200);
    }
  });

  test('a claim recorded on the page, then confirmed and applied: its event is recorded', async () => {
    for (const body of [
      { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-25T10:00:00+03:00' },
      { type: 'NOMINATE', candidate: { name: 'Asaad al-Eidani', nameAr: 'أسعد العيداني', bloc: 'Tasmim' }, occurredAt: '2024-01-28T10:00:00+03:00' },
    ]) {
      expect((await postEvent(suite.app, suite.keys.editor, 'basra', body)).status).toBe(201);
    }
    const page = await openAs(suite.keys.editor, '#/provinces/basra');
    await page.locator('#claim-title').click();
    const claimForm = page.locator('#claim-form');
    await fill(claimForm, { text: 'Asaad al-Eidani will be re-elected governor of Basra', subject: 'Asaad al-Eidani', reportedAt: '2024-02-01T18:00', ...SHAFAQ });
    await claimForm.locator('fieldset.claim-event select').selectOption('APPOINT');
    await fill(claimForm, { governor: 'Asaad al-Eidani', votes: '16', present: '22' });
    await claimForm.getByRole('button', { name: 'Record a claim' }).click();
    await page.locator('#claim-status', { hasText: 'Claim recorded.' }).waitFor();
    const item = page.locator('#pp-claims-list > li');
    await item.waitFor();
    expect(await item.locator('.claim__text').textContent()).toBe('“Asaad al-Eidani will be re-elected governor of Basra”');

    await item.getByRole('button', { name: 'Confirm and apply' }).click();
    await fill(item, { 'source.name': 'Shafaq News', 'source.url': 'https://shafaq.com/en/Economy/Al-Anbar-elects-new-local-leaders', occurredAt: '2024-02-05T13:00' });
    await item.locator('form').getByRole('button', { name: 'Confirm and apply' }).click();
    await page.locator('.pp-facts .person__name', { hasText: 'Asaad al-Eidani' }).waitFor();
    await page.locator('#pp-claims').waitFor({ state: 'hidden' });
    const claims = (await get('/provinces/basra/claims')).body.items as { status: string; appliedEventSeq: number | null }[];
    expect(claims).toEqual([expect.objectContaining({ status: 'confirmed', appliedEventSeq: 3 })]);
    expect((await eventsOf('basra'))[2]).toMatchObject({ seq: 3, type: 'APPOINT', occurredAt: '2024-02-05T10:00:00.000Z', payload: { governor: 'Asaad al-Eidani', votes: 16, present: 22 } });
  });

  test('a reporter (viewer key) logs a call: no event form, the contact in the history, live on an editor’s page', async () => {
    const editor = await openAs(suite.keys.editor, '#/provinces/basra');
    const reporter = await openAs(suite.keys.viewer, '#/provinces/basra');
    expect(await reporter.locator('#pp-record').isHidden()).toBe(true);
    await reporter.locator('#contact-title').click();
    const form = reporter.locator('#contact-form');
    await fill(form, {
      'official.name': 'Khalaf al-Badran',
      'official.title': 'Basra council chairman',
      channel: 'call',
      outcome: 'declined_to_comment',
      summary: 'Would not say when the deputy governors will be chosen',
      contactedAt: '2024-02-06T09:30',
    });
    await form.getByRole('button', { name: 'Log the contact' }).click();
    await reporter.locator('#contact-status', { hasText: 'Contact logged.' }).waitFor();
    const item = reporter.locator('.hist__item--contact');
    await item.waitFor();
    expect(await item.locator('.hist__title').textContent()).toBe('Call with Khalaf al-Badran (Basra council chairman): Declined to comment');
    expect(await item.locator('.hist__when').textContent()).toBe('6 Feb 2024, 09:30');
    await editor.locator('.hist__item--contact', { hasText: 'Khalaf al-Badran' }).waitFor();
    const contacts = (await get('/provinces/basra/contacts')).body.items as { actor: string; contactedAt: string }[];
    expect(contacts).toEqual([expect.objectContaining({ actor: 'viewer-desk', contactedAt: '2024-02-06T06:30:00.000Z' })]);
  });

  test('Arabic: the whole page right to left, Arabic labels, an Arabic name entered and shown back, Arabic dates; the digest in Arabic copied as Markdown', async () => {
    expect((await postEvent(suite.app, suite.keys.editor, 'diyala', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-07-20T10:00:00+03:00' })).status).toBe(201);
    const page = await openAs(suite.keys.editor, '#/provinces/diyala', { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.locator('#lang-switch').click();
    expect(await page.evaluate('[document.documentElement.lang, document.documentElement.dir]')).toEqual(['ar', 'rtl']);
    expect(await page.locator('#lang-switch').textContent()).toBe('English');
    expect(await page.locator('#ev-title').textContent()).toBe('سجّل حدثًا');
    expect(await page.locator('#pp-title .pp-title__name').textContent()).toBe('ديالى');
    const form = page.locator('#pp-record');
    await form.getByLabel('الحدث', { exact: true }).selectOption('NOMINATE');
    await form.getByLabel('الاسم (بالحروف اللاتينية)').fill('Adnan al-Jayer al-Tamimi');
    await form.getByLabel('الاسم بالعربية').fill('عدنان الجاير التميمي');
    expect(await form.getByLabel('الاسم بالعربية').getAttribute('dir')).toBe('rtl');
    await form.getByLabel('متى حدث (بتوقيت بغداد)').fill('2024-08-01T10:00');
    expect(await form.locator('.field--occurredAt .field__echo').textContent()).toBe('أي ١ آب ٢٠٢٤، ١٠:٠٠ بتوقيت بغداد.');
    await form.getByLabel('اسم المصدر').fill('Shafaq News');
    await form.getByLabel('رابط المصدر').fill('https://shafaq.com/en/Iraq/Diyala-Council-votes-to-extend-current-admin-heads-and-appoint-new-committee-chairs');
    await form.getByRole('button', { name: 'سجّل الحدث' }).click();
    await page.locator('#ev-status', { hasText: 'سُجّل: ترشيح (الحدث ٢)، ١ آب ٢٠٢٤، ١٠:٠٠ بتوقيت بغداد.' }).waitFor();
    expect(await page.locator('.pp-facts .person__name').textContent()).toBe('عدنان الجاير التميمي');
    expect(await page.locator('.pp-facts .person__ar').textContent()).toBe('Adnan al-Jayer al-Tamimi');
    expect(await page.locator('#event-2 .hist__when').textContent()).toBe('١ آب ٢٠٢٤، ١٠:٠٠');
    expect(await page.locator('#event-2 .hist__what').textContent()).toContain('عدنان الجاير التميمي');
    const [, nominate] = await eventsOf('diyala');
    expect(nominate.payload).toEqual({ candidate: { name: 'Adnan al-Jayer al-Tamimi', nameAr: 'عدنان الجاير التميمي' } });

    // The digest of that day, in Arabic, and its Markdown on the clipboard as the API writes it.
    await page.locator('#nav-digest').click();
    await page.locator('#dg-date').fill('2024-08-01');
    await page.getByRole('button', { name: 'اعرض' }).click();
    await page.locator('#dg-body .digest__date', { hasText: 'الخميس ١ آب ٢٠٢٤' }).waitFor();
    expect(await page.locator('#dg-body').getAttribute('dir')).toBe('rtl');
    await page.getByRole('button', { name: 'انسخ بصيغة Markdown' }).click();
    await page.locator('#dg-status', { hasText: 'نُسخ نص Markdown إلى الحافظة.' }).waitFor();
    const markdown = (await get('/digest?date=2024-08-01&lang=ar&format=md', suite.keys.editor)).text;
    expect(markdown).toMatch(/^# \u200Fموجز اختيار المحافظين/);
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(markdown);

    // The same day in English, whatever the interface's language.
    await page.locator('#dg-lang').selectOption('en');
    await page.getByRole('button', { name: 'اعرض' }).click();
    await page.locator('#dg-body .digest__date', { hasText: 'Thursday 1 August 2024' }).waitFor();
    expect(await page.locator('#dg-body').getAttribute('lang')).toBe('en');
  });

  test('an event whose sources give only the day: recorded with "Only the day is known", shown with its day and no time (history, convened, digest page)', async () => {
    const page = await openAs(suite.keys.editor, '#/provinces/salahuddin');
    const dayOnly = { occurredAtPrecision: 'day', ...SHAFAQ };
    expect(await recordEvent(page, 'ASSIGN_TIER', { tier: 'A', occurredAt: '2024-01-20T12:00', ...dayOnly })).toBe('Recorded: Assign a tier (event 1), 20 Jan 2024 Baghdad time.');
    expect(await recordEvent(page, 'CONVENE', { chair: 'Ahmed al-Karim', occurredAt: '2024-02-04T12:00', ...dayOnly })).toMatch(/^Recorded: The council convenes \(event 2\), 4 Feb 2024 Baghdad time\.$/);
    expect((await eventsOf('salahuddin')).map((e) => [e.seq, e.occurredAt, (e as unknown as { occurredAtPrecision: string }).occurredAtPrecision])).toEqual([
      [1, '2024-01-20T09:00:00.000Z', 'day'],
      [2, '2024-02-04T09:00:00.000Z', 'day'],
    ]);

    expect(await page.locator('#event-1 .hist__when').textContent()).toBe('20 Jan 2024');
    expect(await page.locator('#event-1 .hist__when time').getAttribute('datetime')).toBe('2024-01-20');
    expect(await page.locator('#event-1 .hist__meta').textContent()).toContain('time not reported');
    const convened = page.locator('.pp-facts .fact', { hasText: 'Ahmed al-Karim' });
    expect(await convened.locator('dd').textContent()).toBe('4 Feb 2024 · chair: Ahmed al-Karim');

    await page.locator('#nav-digest').click();
    await page.locator('#dg-date').fill('2024-02-04');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const change = page.locator('#dg-body .digest__list li', { hasText: 'Council convened' });
    await change.waitFor();
    expect(await change.textContent()).toMatch(/^time not reported — /);
    expect(await page.locator('#dg-body').textContent()).not.toContain('12:00');
  });

  test.each(['en', 'ar'])('axe-core finds no serious or critical violation on the board, a province page and a form (%s)', async (lang) => {
    const page = await openAs(suite.keys.editor, '#/');
    if (lang === 'ar') await page.locator('#lang-switch').click();
    await page.locator('#province-rows tr').nth(14).waitFor();
    const audit = async (what: string) => {
      await page.evaluate(AXE_SOURCE);
      const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as {
        violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
      };
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ what, id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
    };
    const found = [...(await audit('board'))];
    await page.locator('#province-babil .province__name').click();
    await page.locator('#pp-title').filter({ hasText: /\S/ }).waitFor();
    await page.locator('#pp-history-list > li').first().waitFor();
    found.push(...(await audit('province page')));
    await page.locator('#ev-type').selectOption('NOMINATE');
    await page.locator('#ev-submit').click();
    await page.locator('#ev-problem').waitFor();
    found.push(...(await audit('a form, with its errors shown')));
    expect(found).toEqual([]);
  });

  test('viewer and public keys are offered no form they cannot use, and the API refuses them anyway', async () => {
    const viewer = await openAs(suite.keys.viewer, '#/provinces/wasit');
    expect(await viewer.locator('#pp-record').isHidden()).toBe(true);
    expect(await viewer.locator('#pp-new-claim').isHidden()).toBe(true);
    expect(await viewer.locator('#pp-contact').isVisible()).toBe(true);
    expect(await viewer.locator('#pp-history-list button').count()).toBe(0);
    // The page's own key, straight at the write route: the API refuses what the page did not offer.
    const refused = await viewer.evaluate(`fetch('/api/v1/provinces/wasit/events', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + sessionStorage.getItem('governor-tracker.api-key'), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'REPORT', kind: 'note', text: 'x', source: { name: 'x' } }),
    }).then((r) => r.status)`);
    expect(refused).toBe(403);

    const reader = await openAs(publicKey, '#/', { live: false });
    await reader.locator('#province-rows tr').nth(14).waitFor();
    expect(await reader.locator('#alerts').isHidden()).toBe(true);
    expect(await reader.locator('#connection-text').textContent()).toBe('Live updates need a newsroom key');
    await reader.locator('#province-basra .province__name').click();
    await reader.locator('#pp-title').filter({ hasText: 'Basra' }).waitFor();
    await reader.locator('#pp-history-list > li').first().waitFor();
    for (const id of ['#pp-record', '#pp-contact', '#pp-new-claim', '#pp-proposals']) expect([id, await reader.locator(id).isHidden()]).toEqual([id, true]);
    expect(await reader.locator('#pp-history-list button').count()).toBe(0);
    expect(await reader.locator('.hist__item--contact').count()).toBe(0);
    expect(await reader.locator('#pp-history-list').textContent()).not.toContain('Khalaf');
    expect(await reader.locator('.hist__item--event').count()).toBe(3);
  });

  test('deep links: a province as of an instant, and an event’s permalink, opened by a colleague', async () => {
    const asOf = '2024-02-05T11:30:00+03:00';
    const page = await openAs(suite.keys.editor, `#/provinces/wasit?asOf=${encodeURIComponent(asOf)}`);
    await page.locator('#pp-asof-banner', { hasText: 'As it stood at 5 Feb 2024, 11:30 Baghdad time.' }).waitFor();
    expect(await page.locator('.pp-facts .stage__label').textContent()).toBe('Candidates named');
    expect(await page.locator('#pp-history-list > li').evaluateAll((items) => items.map((li) => li.id))).toEqual(['event-1', 'event-2', 'event-5', 'event-3']);
    expect(await page.locator('#pp-record').isHidden()).toBe(true);
    expect(await page.locator('#pp-asof').inputValue()).toBe('2024-02-05T11:30');
    expect(await page.locator('#pp-permalink').getAttribute('href')).toBe(`#/provinces/wasit?asOf=${encodeURIComponent(asOf)}`);

    await page.locator('#event-3 .hist__seq').click();
    await page.waitForFunction("location.hash === '#/provinces/wasit/events/3'");
    const link = `${base}/#/provinces/wasit/events/4`;
    const colleague = await openAs(suite.keys.viewer, link.slice(base.length + 1));
    await colleague.locator('#event-4.is-target').waitFor();
    expect(await colleague.evaluate('document.activeElement.id')).toBe('event-4');
  });

  test('keyboard only: an event chosen by typing, its fields filled, sent with Enter; a retraction opened and sent from the keyboard', async () => {
    const page = await openAs(suite.keys.editor, '#/provinces/muthanna');
    await page.locator('#ev-type').focus();
    await page.keyboard.type('Report');
    expect(await page.locator('#ev-type').inputValue()).toBe('REPORT');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.name')).toBe('kind');
    await page.keyboard.type('Note');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.name')).toBe('text');
    await page.keyboard.type('Muthanna council postponed its session to 10 p.m.');
    // Past the time (left empty: now) to the source.
    await page.locator('#pp-record [name="source.name"]').focus();
    await page.keyboard.type('Shafaq News');
    await page.keyboard.press('Tab');
    await page.keyboard.type(SHAFAQ['source.url']);
    await page.keyboard.press('Enter');
    await page.locator('#ev-status', { hasText: 'Recorded: Report (event 1)' }).waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('ev-type');

    await page.locator('#event-1').getByRole('button', { name: 'Retract event 1' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.name')).toBe('reason');
    await page.keyboard.type('Posted twice');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Retract event 1');
    await page.keyboard.press('Enter');
    await page.locator('#event-1 .hist__retraction').waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('event-1');
    expect((await eventsOf('muthanna'))[0]).toMatchObject({ retracted: true, retractionReason: 'Posted twice' });
  });

  test('works at phone width: the province page and its form, no horizontal scrolling', async () => {
    const page = await openAs(suite.keys.editor, '#/provinces/babil', { width: 390 });
    await prepareEvent(page, 'NOMINATE', { 'candidate.name': 'A name' });
    expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    expect(await page.locator('#ev-submit').isVisible()).toBe(true);
    await page.screenshot({ path: join(OUTPUT, 'desk-phone.png'), fullPage: true });
  });

  test('no CSP violation, script error or console error happened on any page', async () => {
    expect(problems.filter((p) => p.startsWith('csp:'))).toEqual([]);
    // Chromium logs the refusals the tests provoke (409 guard, 412 stale, 403 viewer) as failed loads.
    const expected = [/^console: Failed to load resource: the server responded with a status of (409|412|403) \(.*\) \(.*\/api\/v1\/(provinces\/[\w-]+\/events(\/\d+\/retract)?)\)$/];
    expect(problems.filter((p) => !expected.some((re) => re.test(p)))).toEqual([]);
  });
});
