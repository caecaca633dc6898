import { matchSchema } from '../apps/api/src/docs/openapi.validator.js';
import { expectProblem } from './support/expectations.js';
import { postEvent, setupSuite } from './support/test-app.js';

/**
 * Issue 7, part 3, through HTTP into a real database: the digest in Arabic (`lang=ar`, or
 * Accept-Language) as JSON and right-to-left Markdown, and GET /search finding provinces and people
 * however their names are spelled. Every answer is checked against the served OpenAPI document.
 *
 * The story (deadline 9 Feb 2024, end of day in Baghdad):
 *   basra    tier A; Asaad Al-Eidani (أسعد العيداني) nominated, appointed at 02:00 on 6 Feb
 *   baghdad  tier A; Abdul Muttalib Al-Alawi (عبد المطلب العلوي) nominated; council convened (chair Omar Al-Mashhadani)
 *   dhi-qar  tier B; Murtada Al-Ibrahimi (مرتضى الإبراهيمي) nominated, then the nomination retracted
 *   wasit    tier C; a rumour on 9 Feb at 12:00
 */

const s = await setupSuite('arabic');
afterAll(() => s.teardown());
const http = () => s.app.http();
const viewer = () => s.auth(s.keys.viewer);
const doc = (await http().get('/docs-json')).body;

const STORY: [string, Record<string, unknown>][] = [
  ['basra', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T10:00:00+03:00' }],
  ['basra', { type: 'NOMINATE', candidate: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني', bloc: 'Tasmim' }, occurredAt: '2024-01-20T10:00:00+03:00' }],
  ['basra', { type: 'APPOINT', governor: 'Asaad Al-Eidani', votes: 13, occurredAt: '2024-02-06T02:00:00+03:00' }],
  ['baghdad', { type: 'ASSIGN_TIER', tier: 'A', occurredAt: '2024-01-10T11:00:00+03:00' }],
  ['baghdad', { type: 'CONVENE', chair: 'Omar Al-Mashhadani', occurredAt: '2024-01-15T11:00:00+03:00' }],
  ['baghdad', { type: 'NOMINATE', candidate: { name: 'Abdul Muttalib Al-Alawi', nameAr: 'عبد المطلب العلوي' }, occurredAt: '2024-01-25T10:00:00+03:00' }],
  ['dhi-qar', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-11T11:00:00+03:00' }],
  ['dhi-qar', { type: 'NOMINATE', candidate: { name: 'Murtada Al-Ibrahimi', nameAr: 'مرتضى الإبراهيمي' }, occurredAt: '2024-01-20T12:00:00+03:00' }],
  ['wasit', { type: 'ASSIGN_TIER', tier: 'C', occurredAt: '2024-01-12T10:00:00+03:00' }],
  ['wasit', { type: 'REPORT', kind: 'rumor', text: 'A line-up names Mohammed Al-Mayahi for Wasit', occurredAt: '2024-02-09T12:00:00+03:00' }],
];

beforeAll(async () => {
  for (const [slug, body] of STORY) {
    const res = await postEvent(s.app, s.keys.editor, slug, body);
    expect({ slug, status: res.status, body: res.body }).toMatchObject({ slug, status: 201 });
  }
  const retract = await http().post('/api/v1/provinces/dhi-qar/events/2/retract').set(s.auth(s.keys.editor)).send({ reason: 'Nomination denied by the council' });
  expect(retract.status).toBe(200);
});

/** The real response fits what /docs-json documents for this operation, status and content type (strict: no undocumented field). */
function expectDocumented(path: string, res: { status: number; headers: Record<string, string>; text: string }) {
  const op = doc.paths[path].get;
  const type = String(res.headers['content-type']).split(';')[0];
  const media = op.responses[String(res.status)]?.content?.[type];
  expect([path, res.status, type, media !== undefined]).toEqual([path, res.status, type, true]);
  const value = type.includes('json') ? JSON.parse(res.text) : res.text;
  expect([path, res.status, matchSchema(value, media.schema, doc, { strict: true })]).toEqual([path, res.status, []]);
}

const RLM = '\u200F';
const ARABIC_MONTHS = /كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول/;

describe('GET /digest?lang=ar', () => {
  test('JSON: every English key kept with its codes; Arabic headline, summaries and labels; Content-Language ar', async () => {
    const [en, ar] = await Promise.all([
      http().get('/api/v1/digest?date=2024-02-09').set(viewer()),
      http().get('/api/v1/digest?date=2024-02-09&lang=ar').set(viewer()),
    ]);
    expect([en.status, ar.status]).toEqual([200, 200]);
    expect(ar.headers['content-language']).toBe('ar');
    expect(ar.headers.vary).toMatch(/accept-language/i);
    expectDocumented('/api/v1/digest', ar);
    expectDocumented('/api/v1/digest', en);

    // English is as it was: no language field, no labels
    expect(en.body.lang).toBeUndefined();
    expect(en.body.headline[0]).toBe('14 of 15 provinces without a governor, deadline today');
    expect(Object.keys(ar.body)).toEqual(expect.arrayContaining(Object.keys(en.body)));
    for (const key of ['date', 'timezone', 'asOf', 'deadline', 'deadlineInstant', 'daysToDeadline', 'timeline', 'totals']) expect([key, ar.body[key]]).toEqual([key, en.body[key]]);
    const codes = (b: { provinces: Record<string, unknown>[] }) => b.provinces.map((p) => [p.slug, p.name, p.nameAr, p.stage, p.tier, p.deadlineStatus]);
    expect(codes(ar.body)).toEqual(codes(en.body));

    expect(ar.body).toMatchObject({
      lang: 'ar',
      dateLabel: 'الجمعة ٩ شباط ٢٠٢٤',
      deadlineLabel: 'الجمعة ٩ شباط ٢٠٢٤',
      dateHijri: '٢٨ رجب ١٤٤٥ هـ',
      daysLabel: 'تنتهي المهلة اليوم',
    });
    expect(ar.body.headline).toEqual([
      'المحافظات بلا محافظ: ١٤ من ١٥، تنتهي المهلة اليوم',
      'محافظات الفئة أ بلا محافظ: ١ من ٢، تنتهي المهلة اليوم',
      'محافظات الفئة ب بلا محافظ: ١ من ١، تنتهي المهلة اليوم',
      'محافظات الفئة ج بلا محافظ: ١ من ١، تنتهي المهلة اليوم',
      'محافظات تجاوزت المهلة: ١٤ (منها ١٤ جديدة)',
      'يوم ٩ شباط ٢٠٢٤: التغييرات ٠، التقارير ١، التصحيحات ٠',
    ]);
    expect(ar.body.reports).toEqual([
      expect.objectContaining({ province: 'wasit', kind: 'rumor', kindLabel: 'شائعة', provinceLabel: 'واسط', occurredAtLabel: '٩ شباط ٢٠٢٤، ١٢:٠٠' }),
    ]);
    const basra = ar.body.provinces.find((p: { slug: string }) => p.slug === 'basra');
    expect(basra).toMatchObject({ stage: 'appointed', stageLabel: 'تم التعيين', tier: 'A', tierLabel: 'الفئة أ', deadlineStatus: 'met', deadlineStatusLabel: 'أُنجز في الموعد' });
    expect(ar.body.alerts[0]).toMatchObject({ kind: 'breach', kindLabel: 'تجاوز المهلة', openedAtLabel: '٩ شباط ٢٠٢٤، ٢٣:٥٩' });
  });

  test('a day with changes: summaries in Arabic, the Arabic name of the nominee first', async () => {
    const res = await http().get('/api/v1/digest?date=2024-01-20&lang=ar').set(viewer());
    expect(res.status).toBe(200);
    expectDocumented('/api/v1/digest', res);
    expect(res.body.changes.map((c: { summary: string }) => c.summary)).toEqual(['رُشّح أسعد العيداني (Asaad Al-Eidani، Tasmim)']);
    expect(res.body.changes[0]).toMatchObject({ type: 'NOMINATE', typeLabel: 'ترشيح', provinceLabel: 'البصرة', occurredAtLabel: '٢٠ كانون الثاني ٢٠٢٤، ١٠:٠٠' });
  });

  test('Markdown: wholly Arabic, right to left, Arabic month names next to the ISO date, Arabic province names', async () => {
    const res = await http().get('/api/v1/digest?date=2024-02-06&lang=ar&format=md').set(viewer());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown; charset=utf-8/);
    expect(res.headers['content-language']).toBe('ar');
    expectDocumented('/api/v1/digest', res);
    const md = res.text;
    expect(md).not.toContain('<div');
    expect(md.startsWith(`# ${RLM}موجز اختيار المحافظين — الثلاثاء ٦ شباط ٢٠٢٤ (2024-02-06)\n`)).toBe(true);
    expect(md).toMatch(ARABIC_MONTHS);
    expect(md).toContain(`- ${RLM}٠٢:٠٠ — البصرة: انتُخب Asaad Al-Eidani محافظًا (الأصوات: ١٣ من ٢٣) — [Shafaq News](https://shafaq.com/en)`);
    expect(md).toContain(`| ${RLM}البصرة | ${RLM}تم التعيين | ${RLM}الفئة أ | ${RLM}أسعد العيداني (Asaad Al-Eidani) | ${RLM}أُنجز في الموعد |`);
    for (const name of ['بغداد', 'نينوى', 'ذي قار', 'واسط', 'المثنى']) expect([name, md.includes(`| ${RLM}${name} |`)]).toEqual([name, true]);
    expect(md).not.toMatch(/Governor selection|Breaches|Changes|Provinces|on track/);
  });

  test('Accept-Language: ar chooses Arabic when lang is absent; lang wins over it', async () => {
    const md = await http().get('/api/v1/digest?date=2024-02-09').set(viewer()).set('accept', 'text/markdown').set('accept-language', 'ar-IQ,ar;q=0.9,en;q=0.5');
    expect(md.headers['content-language']).toBe('ar');
    expect(md.text).toContain('موجز اختيار المحافظين');
    const en = await http().get('/api/v1/digest?date=2024-02-09&lang=en').set(viewer()).set('accept-language', 'ar');
    expect(en.headers['content-language']).toBe('en');
    expect(en.body.lang).toBeUndefined();
    const preferEnglish = await http().get('/api/v1/digest?date=2024-02-09').set(viewer()).set('accept-language', 'ar;q=0.4, en');
    expect(preferEnglish.body.headline[0]).toBe('14 of 15 provinces without a governor, deadline today');
  });

  test('the claims of the day in Arabic: labelled JSON items and an Arabic Markdown section', async () => {
    const claim = await http()
      .post('/api/v1/provinces/najaf/claims')
      .set(s.auth(s.keys.editor))
      .send({ text: 'Hikma gets Najaf', reportedAt: '2024-02-07T18:00:00+03:00', source: { name: 'Shafaq News' } });
    expect(claim.status).toBe(201);
    const json = await http().get('/api/v1/digest?date=2024-02-07&lang=ar').set(viewer());
    expect(json.status).toBe(200);
    expectDocumented('/api/v1/digest', json);
    expect(json.body.claims.reported).toEqual([
      expect.objectContaining({ province: 'najaf', text: 'Hikma gets Najaf', provinceLabel: 'النجف', atLabel: '٧ شباط ٢٠٢٤، ١٨:٠٠' }),
    ]);
    const md = (await http().get('/api/v1/digest?date=2024-02-07&lang=ar&format=md').set(viewer())).text;
    expect(md).toContain(`## ${RLM}الادعاءات (اليوم: ١، بانتظار التأكيد: ١)`);
    expect(md).toContain(`### ${RLM}نُقلت اليوم (١)`);
    expect(md).toContain(`- ${RLM}١٨:٠٠ — النجف: «Hikma gets Najaf» — Shafaq News`);
    expect(md).not.toMatch(/Claims|Reported today|Still unconfirmed/);
    const en = (await http().get('/api/v1/digest?date=2024-02-07&format=md').set(viewer())).text;
    expect(en).toContain('## Claims (1 today, 1 still unconfirmed)');
  });

  test('an unknown lang is a 400 problem naming the field', async () => {
    for (const lang of ['fr', 'AR', 'ar-IQ', '']) {
      const res = await http().get(`/api/v1/digest?lang=${encodeURIComponent(lang)}`).set(viewer());
      expectProblem(res, 400, 'validation');
      expect([lang, res.body.errors]).toEqual([lang, [expect.objectContaining({ field: 'lang' })]]);
      expectDocumented('/api/v1/digest', res);
    }
  });
});

describe('GET /search', () => {
  const search = (q: string, extra = '') => http().get(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`).set(viewer());
  const first = async (q: string) => {
    const res = await search(q);
    expect([q, res.status]).toEqual([q, 200]);
    expectDocumented('/api/v1/search', res);
    return res.body.items[0];
  };

  test.each([
    ['البصره', 'basra', 'البصرة'],
    ['بصرة', 'basra', 'البصرة'],
    ['Basrah', 'basra', 'Basra'],
    ['نينوى', 'nineveh', 'نينوى'],
    ['نينوي', 'nineveh', 'نينوى'],
    ['نِينَوَى', 'nineveh', 'نينوى'],
    ['Ninawa', 'nineveh', 'Ninawa'],
    ['Nineveh', 'nineveh', 'Nineveh'],
    ['mosul', 'nineveh', 'Mosul'],
    ['Thi-Qar', 'dhi-qar', 'Dhi Qar'],
    ['ذى قار', 'dhi-qar', 'ذي قار'],
    ['Salah ad-Din', 'salahuddin', 'Salah ad-Din'],
    ['الانبار', 'anbar', 'الأنبار'],
    ['Diwaniyah', 'qadisiyah', 'Diwaniyah'],
    ['IQ-KA', 'karbala', 'IQ-KA'],
  ])('%s finds the province %s exactly (matched %s)', async (q, slug, matched) => {
    expect(await first(q)).toEqual({ kind: 'province', province: slug, name: expect.any(String), nameAr: expect.any(String), code: expect.any(String), matched, match: 'exact' });
  });

  test('a person named after the last search is found by the next one, and a retraction takes them out again', async () => {
    expect(await first('Muhannad Al-Saadi')).toBeUndefined();
    const posted = await postEvent(s.app, s.keys.editor, 'maysan', { type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-12T09:00:00+03:00' });
    expect(posted.status).toBe(201);
    const nominated = await postEvent(s.app, s.keys.editor, 'maysan', {
      type: 'NOMINATE',
      candidate: { name: 'Muhannad Al-Saadi', nameAr: 'مهند الساعدي' },
      occurredAt: '2024-01-22T09:00:00+03:00',
    });
    expect(nominated.status).toBe(201);
    expect(await first('مهند الساعدى')).toMatchObject({ kind: 'person', province: 'maysan', name: 'Muhannad Al-Saadi', match: 'exact' });
    const retracted = await http().post(`/api/v1/provinces/maysan/events/${nominated.body.event.seq}/retract`).set(s.auth(s.keys.editor)).send({ reason: 'test' });
    expect(retracted.status).toBe(200);
    expect(await first('Muhannad Al-Saadi')).toBeUndefined();
  });

  test('a nominee posted with nameAr is found by variant spellings of either name, with every role', async () => {
    const asaad = { kind: 'person', province: 'basra', name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني', roles: ['nominee', 'governor'], bloc: 'Tasmim', provinceName: 'Basra', provinceNameAr: 'البصرة' };
    expect(await first('اسعد العيدانى')).toEqual({ ...asaad, matched: 'أسعد العيداني', match: 'exact' });
    expect(await first('أسعد')).toEqual({ ...asaad, matched: 'أسعد العيداني', match: 'prefix' });
    expect(await first('Asad al-Eidany')).toBeUndefined(); // y ≠ i: a variant the fold does not join
    expect(await first('Asaad Eidani')).toEqual({ ...asaad, matched: 'Asaad Al-Eidani', match: 'exact' });
    expect(await first('عبدالمطلب')).toMatchObject({ kind: 'person', province: 'baghdad', name: 'Abdul Muttalib Al-Alawi', roles: ['nominee'], match: 'prefix' });
    expect(await first('Abd al-Mutalib')).toMatchObject({ kind: 'person', province: 'baghdad', match: 'prefix' });
    expect(await first('Mashhadani')).toMatchObject({ kind: 'person', province: 'baghdad', name: 'Omar Al-Mashhadani', nameAr: null, roles: ['chair'] });
  });

  test('a retracted nomination names nobody', async () => {
    expect((await search('مرتضى')).body.items).toEqual([]);
    expect((await search('Ibrahimi')).body.items).toEqual([]);
  });

  test('ranked exact > prefix > contains, then provinces before people; limit cuts the list', async () => {
    const res = await search('ba');
    expect(res.status).toBe(200);
    const order = res.body.items.map((i: { match: string }) => ['exact', 'prefix', 'contains'].indexOf(i.match));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(res.body.items.map((i: { province: string }) => i.province)).toEqual(expect.arrayContaining(['babil', 'baghdad', 'basra', 'anbar']));
    const limited = await search('a', '&limit=2');
    expect(limited.body.items).toHaveLength(2);
  });

  test('an empty, blank, too long or unfoldable q, or a bad limit, is a 400 problem', async () => {
    const cases: [string, string][] = [
      ['/api/v1/search', 'q'],
      ['/api/v1/search?q=', 'q'],
      ['/api/v1/search?q=%20%20', 'q'],
      [`/api/v1/search?q=${'ب'.repeat(101)}`, 'q'],
      [`/api/v1/search?q=${encodeURIComponent('ـــَ')}`, 'q'],
      ['/api/v1/search?q=--', 'q'],
      ['/api/v1/search?q=basra&limit=0', 'limit'],
      ['/api/v1/search?q=basra&limit=51', 'limit'],
      ['/api/v1/search?q=basra&sort=x', 'sort'],
    ];
    for (const [url, field] of cases) {
      const res = await http().get(url).set(viewer());
      expectProblem(res, 400, 'validation');
      expect([url, res.body.errors.map((e: { field: string }) => e.field)]).toEqual([url, expect.arrayContaining([field])]);
      expectDocumented('/api/v1/search', res);
    }
    expect((await search('ب'.repeat(100))).status).toBe(200);
  });

  test('needs a key: 401 without one', async () => {
    expectProblem(await http().get('/api/v1/search?q=basra'), 401, 'unauthorized');
  });
});
