import { initialFormationState, type FormationState, type Stage } from '@app/workflow';
import { renderSvg } from './chart.renderer.js';
import { buildTimeline } from './timeline.data.js';
import { rowLabel, timelineSpec } from './timeline.spec-builder.js';

const rules = { electionDate: '2023-12-18', deadline: '2024-02-09', timezone: 'Asia/Baghdad', tierByDays: 21, candidateByDays: 7 };
const FROM = new Date('2023-12-17T21:00:00Z');
const CUTOFF = new Date('2024-03-01T21:00:00Z');

function state(stage: Stage, governor?: string): FormationState {
  const s = initialFormationState(15);
  return {
    ...s,
    stage,
    context: { ...s.context, governor: governor ? { name: governor, nameAr: 'أسعد العيداني', votes: null, present: null, appointedAt: '2024-02-05T23:00:00.000Z' } : null },
  };
}

const data = buildTimeline({
  rules,
  from: FROM,
  cutoff: CUTOFF,
  provinces: [
    {
      slug: 'basra', name: 'Basra', nameAr: 'البصرة', seats: 15,
      events: [
        { occurredAt: new Date('2024-01-10T07:00:00Z'), stateAfter: state('tier') },
        { occurredAt: new Date('2024-01-20T07:00:00Z'), stateAfter: state('candidate') },
        { occurredAt: new Date('2024-01-21T07:00:00Z'), stateAfter: state('candidate') },
        { occurredAt: new Date('2024-02-05T23:00:00Z'), stateAfter: state('appointed', 'Asaad Al-Eidani') },
      ],
    },
    { slug: 'muthanna', name: 'Muthanna', nameAr: 'المثنى', seats: 12, events: [{ occurredAt: new Date('2024-02-20T07:00:00Z'), stateAfter: state('tier') }] },
    // An event after the cut-off is not drawn.
    { slug: 'wasit', name: 'Wasit', nameAr: 'واسط', seats: 15, events: [{ occurredAt: new Date('2024-03-05T07:00:00Z'), stateAfter: state('tier') }] },
  ],
});

describe('buildTimeline', () => {
  test('one segment per stage entered (a repeated stage does not split it), ending at the next one or the cut-off', () => {
    const basra = data.rows[0];
    expect(basra.segments.map((s) => [s.stage, s.start.toISOString(), s.end.toISOString(), s.late])).toEqual([
      ['criteria', FROM.toISOString(), '2024-01-10T07:00:00.000Z', false],
      ['tier', '2024-01-10T07:00:00.000Z', '2024-01-20T07:00:00.000Z', false],
      ['candidate', '2024-01-20T07:00:00.000Z', '2024-02-05T23:00:00.000Z', false],
      ['appointed', '2024-02-05T23:00:00.000Z', CUTOFF.toISOString(), false],
    ]);
    expect(basra).toMatchObject({ status: 'met', governor: { name: 'Asaad Al-Eidani', nameAr: 'أسعد العيداني' } });
  });

  test('a segment entered after the deadline instant is late; the rows are judged at the cut-off', () => {
    expect(data.rows[1].segments.map((s) => [s.stage, s.late])).toEqual([['criteria', false], ['tier', true]]);
    expect(data.rows[1].status).toBe('breached');
    expect(data.rows[2].segments.map((s) => s.stage)).toEqual(['criteria']);
    expect(data.deadlineInstant.toISOString()).toBe('2024-02-09T20:59:59.999Z');
  });
});

describe('timelineSpec', () => {
  const spec = timelineSpec(data, { end: CUTOFF, title: 'Formation timeline' }) as unknown as {
    layer: { data: { values: Record<string, unknown>[] }; encoding: Record<string, { scale?: { domain: number[] } }> }[];
  };

  test('rows in the given order, labelled in English and Arabic; times moved to Baghdad wall-clock', () => {
    const bars = spec.layer[0];
    expect(bars.data.values.map((v) => v.label)).toContain('Basra · البصرة');
    expect(rowLabel({ name: 'Muthanna', nameAr: 'المثنى' })).toBe('Muthanna · المثنى');
    // 2023-12-17T21:00Z is 00:00 on 18 Dec in Baghdad: the UTC scale shows it as that day's start.
    expect(bars.encoding.x.scale!.domain[0]).toBe(Date.UTC(2023, 11, 18));
    expect(spec.layer[1].data.values[0]).toMatchObject({ at: Date.UTC(2024, 1, 9, 23, 59, 59, 999), description: expect.stringContaining('date=2024-02-09') });
  });

  test('the axis reaches past the deadline even when the cut-off comes before it', () => {
    const early = timelineSpec(data, { end: new Date('2024-01-01T00:00:00Z'), title: 't' }) as unknown as typeof spec;
    expect(early.layer[0].encoding.x.scale!.domain[1]).toBeGreaterThan(Date.UTC(2024, 1, 9, 23, 59));
  });

  test('renders to an SVG whose marks say what they stand for, with the fonts inside and no external reference', async () => {
    const svg = await renderSvg(timelineSpec(data, { end: CUTOFF, title: 'Formation timeline' }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<style>@font-face');
    expect(svg.match(/aria-label="segment province=muthanna stage=tier [^"]*late=true/g)).toHaveLength(1);
    expect(svg.match(/late=true/g)).toHaveLength(1);
    expect(svg).toContain('aria-label="deadline date=2024-02-09');
    expect(svg.match(/https?:\/\/[^"'\s)]+/g)?.filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);
  });
});
