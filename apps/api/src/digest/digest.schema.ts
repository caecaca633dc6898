import type { SchemaObject } from '@nestjs/swagger';
import { DEADLINE_STATUSES, EVENT_TYPES, OCCURRED_AT_PRECISIONS, REPORT_KINDS, STAGES, TIERS } from '@app/workflow';

/** OpenAPI schema of the JSON digest (SPEC §6), kept beside the builder whose `Digest` type it describes. */

/** Counts by key; the keys @2 added (vacant, no_deadline) appear only when non-zero. */
const counts = (keys: readonly string[], optional: readonly string[] = []): SchemaObject => ({
  type: 'object',
  required: keys.filter((k) => !optional.includes(k)),
  properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer', minimum: 0 }])),
});
const instant: SchemaObject = { type: 'string', format: 'date-time' };
const occurredAtPrecision: SchemaObject = {
  type: 'string',
  enum: [...OCCURRED_AT_PRECISIONS],
  description: "'day': the sources report only the day (occurredAt's time of day only orders it among the day's events); the Markdown prints no time for it and occurredAtLabel names the day alone.",
};
const source: SchemaObject = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, url: { type: 'string', nullable: true } } };
const list = (required: string[], properties: Record<string, SchemaObject>): SchemaObject => ({
  type: 'array',
  items: { type: 'object', required, properties },
});

/** A human-readable field added with `lang` other than en (absent from English answers). */
const label = (description: string, example: string): SchemaObject => ({ type: 'string', description: `${description} Only with lang=ar.`, example });
const provinceLabel = label("The province's name in the digest's language.", 'البصرة');

const claimList = list(['id', 'province', 'text', 'subject', 'internal', 'source', 'at'], {
  id: { type: 'string', format: 'uuid' },
  province: { type: 'string', example: 'basra' },
  text: { type: 'string', example: 'Asaad Al-Eidani will be re-elected governor of Basra' },
  subject: { type: 'string', nullable: true, example: 'Asaad Al-Eidani' },
  internal: { type: 'boolean' },
  source,
  at: instant,
  provinceLabel,
  atLabel: label('at in Baghdad time, in words.', '٧ شباط ٢٠٢٤، ١٢:٠٠'),
});

export const DIGEST_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['date', 'timezone', 'asOf', 'deadline', 'deadlineInstant', 'daysToDeadline', 'timeline', 'headline', 'totals', 'changes', 'corrections', 'alerts', 'reports', 'claims', 'provinces'],
  properties: {
    lang: { type: 'string', enum: ['ar'], description: 'The language of the headline, summaries and labels. Only with lang=ar (English answers are as they were).' },
    date: { type: 'string', format: 'date', example: '2024-02-10' },
    dateLabel: label('The day in words, Iraqi month names, Arabic-Indic digits.', 'السبت ١٠ شباط ٢٠٢٤'),
    dateHijri: label('The day in the Umm al-Qura Hijri calendar.', '٢٩ رجب ١٤٤٥ هـ'),
    deadlineLabel: label('The deadline day in words.', 'الجمعة ٩ شباط ٢٠٢٤'),
    daysLabel: label('daysToDeadline in words.', 'مضى على انقضاء المهلة يوم واحد'),
    timezone: { type: 'string', example: 'Asia/Baghdad' },
    asOf: { ...instant, description: 'The first instant of the next day: everything that occurred before it counts.', example: '2024-02-10T21:00:00.000Z' },
    deadline: { type: 'string', format: 'date', example: '2024-02-09' },
    deadlineInstant: { ...instant, example: '2024-02-09T20:59:59.999Z' },
    daysToDeadline: { type: 'integer', description: 'Calendar days from this day to the deadline; negative when overdue.', example: -1 },
    timeline: {
      type: 'string',
      description: 'The formation timeline (SVG) drawn to the end of this day; needs no key. Absolute under PUBLIC_BASE_URL when it is set, else a path under the API’s origin.',
      example: 'https://tracker.example.org/api/v1/charts/timeline.svg?until=2024-02-10',
    },
    headline: { type: 'array', items: { type: 'string' }, description: "In the digest's language.", example: ['2 of 5 tier-A provinces without a governor, 1 day overdue'] },
    totals: {
      type: 'object',
      required: ['byStage', 'byTier', 'byStatus', 'tiers'],
      properties: {
        byStage: counts(STAGES, ['vacant']),
        byTier: counts([...TIERS, 'none']),
        byStatus: counts(DEADLINE_STATUSES, ['no_deadline']),
        tiers: {
          type: 'object',
          required: [...TIERS],
          properties: Object.fromEntries(TIERS.map((t) => [t, counts(['provinces', 'withoutGovernor'])])),
        },
      },
    },
    changes: list(['province', 'type', 'fromStage', 'toStage', 'summary', 'occurredAt', 'occurredAtPrecision', 'source', 'confidence', 'late'], {
      province: { type: 'string', example: 'basra' },
      type: { type: 'string', enum: EVENT_TYPES.filter((t) => t !== 'REPORT') },
      fromStage: { type: 'string', enum: [...STAGES] },
      toStage: { type: 'string', enum: [...STAGES] },
      summary: { type: 'string', description: "In the digest's language.", example: 'Appointed Asaad Al-Eidani (13 of 23 votes)' },
      occurredAt: instant,
      occurredAtPrecision,
      source,
      confidence: { type: 'string', enum: ['confirmed', 'reported'] },
      late: { type: 'boolean' },
      provinceLabel,
      typeLabel: label('The event type in words.', 'انتخاب المحافظ'),
      occurredAtLabel: label('occurredAt in Baghdad time, in words.', '٦ شباط ٢٠٢٤، ٠٢:٠٠'),
    }),
    corrections: list(['province', 'seq', 'type', 'reason', 'retractedAt'], {
      province: { type: 'string' },
      seq: { type: 'integer' },
      type: { type: 'string', enum: [...EVENT_TYPES] },
      reason: { type: 'string' },
      retractedAt: instant,
      provinceLabel,
      typeLabel: label('The event type in words.', 'ترشيح'),
      retractedAtLabel: label('retractedAt in Baghdad time, in words.', '١٠ شباط ٢٠٢٤، ١١:٠٠'),
    }),
    alerts: list(['province', 'kind', 'openedAt', 'new'], {
      province: { type: 'string' },
      kind: { type: 'string', enum: ['breach', 'at_risk'] },
      openedAt: instant,
      new: { type: 'boolean', description: 'Opened during this day.' },
      provinceLabel,
      kindLabel: label('The alert kind in words.', 'تجاوز المهلة'),
      openedAtLabel: label('openedAt in Baghdad time, in words.', '٩ شباط ٢٠٢٤، ٢٣:٥٩'),
    }),
    reports: list(['province', 'kind', 'text', 'source', 'occurredAt', 'occurredAtPrecision'], {
      province: { type: 'string' },
      kind: { type: 'string', enum: [...REPORT_KINDS] },
      text: { type: 'string' },
      source,
      occurredAt: instant,
      occurredAtPrecision,
      provinceLabel,
      kindLabel: label('The report kind in words.', 'شائعة'),
      occurredAtLabel: label('occurredAt in Baghdad time, in words.', '٧ شباط ٢٠٢٤، ١٢:٠٠'),
    }),
    claims: {
      type: 'object',
      description:
        'The claims ledger: claims reported, denied, confirmed or retracted during the day (`at`: when that step happened), and those still unconfirmed (only reported) at its end (`at`: when reported). Internal claims only for keys that see internal items.',
      required: ['reported', 'denied', 'confirmed', 'retracted', 'unconfirmed'],
      properties: Object.fromEntries(['reported', 'denied', 'confirmed', 'retracted', 'unconfirmed'].map((k) => [k, claimList])),
    },
    provinces: list(['slug', 'name', 'nameAr', 'stage', 'tier', 'governor', 'deadlineStatus'], {
      slug: { type: 'string', example: 'basra' },
      name: { type: 'string', example: 'Basra' },
      nameAr: { type: 'string', example: 'البصرة' },
      stage: { type: 'string', enum: [...STAGES] },
      tier: { type: 'string', enum: [...TIERS], nullable: true },
      governor: {
        type: 'object',
        nullable: true,
        description: 'As in GET /provinces; null unless appointed.',
        properties: {
          name: { type: 'string' },
          nameAr: { type: 'string', nullable: true },
          bloc: { type: 'string', nullable: true },
          votes: { type: 'integer', nullable: true },
          present: { type: 'integer', nullable: true },
          appointedAt: instant,
        },
      },
      deadlineStatus: { type: 'string', enum: [...DEADLINE_STATUSES] },
      stageLabel: label('The stage in words.', 'الترشيح'),
      tierLabel: label('The tier in words (— without one).', 'الفئة أ'),
      deadlineStatusLabel: label('The deadline status in words.', 'تجاوزت المهلة'),
    }),
  },
};
