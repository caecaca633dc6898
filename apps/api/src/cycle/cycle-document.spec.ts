import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { IRAQ_2023 } from '@app/seeds';
import { AppError, type FieldError } from '../common/app-error.js';
import { CYCLE_DOCUMENT_SCHEMA, differences, parseCycleDocument } from './cycle-document.js';

const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

/** A validator of our own, not the one the import uses: the schema is checked by ajv as any tool would. */
function thirdPartyValidator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

function problemsOf(raw: unknown): FieldError[] {
  try {
    parseCycleDocument(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation');
    return (err as AppError).extensions.errors as FieldError[];
  }
  throw new Error('the document was accepted');
}

const valid = () => ({
  slug: 'demo-2023',
  name: 'Demo',
  electionDate: '2023-12-18',
  timezone: 'Asia/Baghdad',
  deadline: { date: '2024-02-09', basis: 'reported' },
  councils: [
    {
      slug: 'kirkuk',
      code: 'IQ-KI',
      name: 'Kirkuk',
      nameAr: 'كركوك',
      seats: 16,
      events: [{ type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T10:00:00+03:00', source: { name: ' Rudaw ' } }],
    },
    { slug: 'basra', code: 'IQ-BA', name: 'Basra', nameAr: 'البصرة', seats: 23 },
  ],
});

describe('the JSON Schema itself', () => {
  test('compiles in ajv strict mode and is valid against the draft 2020-12 meta-schema', () => {
    const ajv = thirdPartyValidator();
    expect(ajv.validateSchema(CYCLE_DOCUMENT_SCHEMA)).toBe(true);
    expect(ajv.errors ?? null).toBeNull();
    expect(() => ajv.compile(CYCLE_DOCUMENT_SCHEMA)).not.toThrow();
  });

  test('keeps to the keywords OpenAPI 3.0 shares with JSON Schema (so the OpenAPI document can carry it as it is)', () => {
    const OPENAPI_30 = new Set([
      'title', 'description', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'pattern',
      'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'format', 'oneOf',
    ]);
    const keywords = new Set<string>();
    const walk = (schema: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(schema)) {
        keywords.add(k);
        if (k === 'properties') for (const p of Object.values(v as Record<string, Record<string, unknown>>)) walk(p);
        else if (k === 'items' || (k === 'additionalProperties' && typeof v === 'object')) walk(v as Record<string, unknown>);
        else if (k === 'oneOf') for (const b of v as Record<string, unknown>[]) walk(b);
      }
    };
    const { $schema: _s, $id: _i, ...rest } = CYCLE_DOCUMENT_SCHEMA as Record<string, unknown>;
    walk(rest);
    expect([...keywords].filter((k) => !OPENAPI_30.has(k))).toEqual([]);
    expect(keywords.has('pattern')).toBe(true);
  });

  test('the seed file validates against it, and the import takes it', () => {
    const validate = thirdPartyValidator().compile(CYCLE_DOCUMENT_SCHEMA);
    expect(validate(IRAQ_2023)).toBe(true);
    const parsed = parseCycleDocument(IRAQ_2023);
    expect(parsed.councils.map((c) => c.slug)).toHaveLength(15);
    expect(parsed.councils.reduce((n, c) => n + c.seats, 0)).toBe(285);
  });
});

describe('one problem per field, all at once', () => {
  test('a document wrong in many places lists each field once, from the schema and from the checks a schema cannot make', () => {
    const doc = {
      ...valid(),
      slug: 'Demo 2023',
      name: ' ',
      timezone: 'Mars/Olympus',
      extra: true,
      deadline: { date: '2023-12-01', basis: 'x' },
      vacancyDeadline: { after: 'VACATE', days: 0, basis: 'Law 21 of 2008' },
      milestones: { tierByDays: -1 },
      councils: [
        {
          slug: 'basra',
          code: 'BASRA',
          name: 'Basra',
          nameAr: 'البصرة',
          seats: 23,
          events: [
            { type: 'ASSIGN_TIER', tier: 'Z', occurredAt: '2024-01-10T10:00:00+03:00', source: { name: 'Shafaq News' } },
            { type: 'NOMINATE', candidate: { name: 'Asaad al-Eidani' }, occurredAt: '2024-01-09T10:00:00+03:00', source: { name: 'Shafaq News' } },
            { type: 'BOGUS', occurredAt: '2024-01-11T10:00:00+03:00', source: { name: 'Shafaq News' } },
            { type: 'REPORT', kind: 'note', text: 'x', occurredAt: '2024-01-12T10:00:00+03:00' },
            { type: 'APPOINT', governor: 'Asaad al-Eidani', votes: 'many', occurredAt: '2024-01-13T10:00:00+03:00', source: { name: 'Shafaq News', url: 'ftp://x' } },
          ],
        },
        { slug: 'basra', code: 'IQ-KI', name: 'Kirkuk', nameAr: 'كركوك', seats: 0 },
        { slug: 'wasit', code: 'IQ-KI', name: 'Wasit\u0001', nameAr: '\ud800', seats: 1.5 },
      ],
    };
    const problems = problemsOf(doc);
    expect(new Set(problems.map((p) => p.field)).size).toBe(problems.length);
    expect(Object.fromEntries(problems.map((p) => [p.field, p.message]))).toEqual({
      slug: expect.stringContaining('lower-case'),
      name: 'must be text without control characters, not blank',
      timezone: 'must be an IANA time zone (Asia/Baghdad)',
      extra: 'unknown field',
      'deadline.date': 'must be after the election date 2023-12-18',
      'vacancyDeadline.days': 'must be >= 1',
      'milestones.tierByDays': 'must be >= 0',
      'councils[0].code': 'must be an ISO 3166-2 code (IQ-BA)',
      'councils[0].events[0].tier': expect.stringContaining('A, B, C'),
      'councils[0].events[1].occurredAt': expect.stringContaining('is before events[0]'),
      'councils[0].events[2].type': expect.stringContaining('type must be one of'),
      'councils[0].events[3].source': 'is required',
      'councils[0].events[4].votes': expect.stringMatching(/^votes must /),
      'councils[0].events[4].source.url': 'source.url must be an http(s) URL',
      'councils[1].slug': 'repeats councils[0].slug ("basra")',
      'councils[1].seats': 'must be >= 1',
      'councils[2].code': 'repeats councils[1].code ("IQ-KI")',
      'councils[2].name': 'must be text without control characters, not blank',
      'councils[2].nameAr': 'must be well-formed text without NUL characters',
      'councils[2].seats': 'must be integer',
    });
  });

  test('a vacancy rule is judged by the shape it comes closest to', () => {
    const rule = (vacancyDeadline: unknown) => problemsOf({ ...valid(), vacancyDeadline });
    expect(rule({ after: 'VACATE', days: 15 })).toEqual([{ field: 'vacancyDeadline.basis', message: 'is required' }]);
    expect(rule({ date: '2024-02-30', basis: 'b' })).toEqual([{ field: 'vacancyDeadline.date', message: 'must be a calendar date written YYYY-MM-DD' }]);
    expect(rule({ after: 'SESSION', days: 15, basis: 'b' })).toEqual([{ field: 'vacancyDeadline.after', message: 'must be one of VACATE' }]);
    expect(rule(15)).toEqual([{ field: 'vacancyDeadline', message: 'must be object' }]);
  });

  test('not an object at all', () => {
    expect(problemsOf([])).toEqual([{ field: 'body', message: 'must be a JSON object (a cycle document)' }]);
    expect(problemsOf({})).toEqual(['slug', 'name', 'electionDate', 'timezone', 'deadline', 'councils'].map((f) => ({ field: f, message: 'is required' })));
  });

  test('a file wrong everywhere lists the first 200 problems and says how many there are', () => {
    const councils = Array.from({ length: 300 }, (_, i) => ({ slug: `c${i}`, code: `IQ-${i}`, name: 'x', nameAr: 'x', seats: 0 }));
    try {
      parseCycleDocument({ ...valid(), councils });
      throw new Error('accepted');
    } catch (err) {
      expect((err as AppError).extensions.errors).toHaveLength(200);
      expect((err as AppError).detail).toBe('The cycle document has 300 problems (the first 200 are listed); nothing was stored.');
    }
  });
});

describe('the canonical form (what export writes)', () => {
  test('defaults written out, councils by slug, events in UTC with their common fields, source names trimmed', () => {
    const { canonical, councils } = parseCycleDocument(valid());
    expect(canonical).toEqual({
      slug: 'demo-2023',
      name: 'Demo',
      electionDate: '2023-12-18',
      timezone: 'Asia/Baghdad',
      deadline: { date: '2024-02-09', basis: 'reported' },
      milestones: { tierByDays: 21, candidateByDays: 7 },
      requireApproval: false,
      status: 'active',
      councils: [
        { slug: 'basra', code: 'IQ-BA', name: 'Basra', nameAr: 'البصرة', seats: 23, events: [] },
        {
          slug: 'kirkuk',
          code: 'IQ-KI',
          name: 'Kirkuk',
          nameAr: 'كركوك',
          seats: 16,
          events: [{ type: 'ASSIGN_TIER', tier: 'B', occurredAt: '2024-01-10T07:00:00.000Z', source: { name: 'Rudaw' }, confidence: 'confirmed' }],
        },
      ],
    });
    // The import keeps the file's order and each council's place in it, for the paths of its problems.
    expect(councils.map((c) => [c.index, c.slug])).toEqual([[0, 'kirkuk'], [1, 'basra']]);
    expect(parseCycleDocument(canonical).canonical).toEqual(canonical);
  });

  test('differences name where a document and a stored cycle part', () => {
    const a = parseCycleDocument(valid()).canonical;
    expect(differences(a, a)).toEqual([]);
    const b = parseCycleDocument({ ...valid(), deadline: { date: '2024-02-19', basis: 'ruling' }, default: true }).canonical;
    expect(differences(b, a)).toEqual(['deadline', 'default']);
    // Leaving `default` out asks nothing of the stored cycle.
    expect(differences(a, { ...a, default: true })).toEqual([]);
    const fewer = { ...a, councils: [{ ...a.councils[1], events: [] }] };
    expect(differences(a, fewer)).toEqual(['councils[basra] (not in the stored cycle)', 'councils[kirkuk].events[0]']);
    expect(differences(fewer, a)).toEqual(['councils[kirkuk].events[0] (stored, not in the document)', 'councils[basra] (stored, not in the document)']);
  });
});
