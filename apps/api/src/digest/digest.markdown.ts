import { zoneOffsetMs, type DeadlineStatus } from '@app/workflow';
import type { EventSource } from '@app/database';
import { daysPhrase, type Digest, type DigestClaim } from './digest.builder.js';

/**
 * The digest as a reporter would paste it (SPEC §6): headline counts, then breaches, then the day's
 * changes, reports and corrections, then every province; names in English and Arabic. It carries the
 * same content as the JSON and nothing else, so the two cannot disagree.
 */

/** Text from editors is data, not markup: characters that would start Markdown or HTML are escaped. */
export function mdText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>|~]/g, '\\$&');
}

const STATUS_LABEL: Record<DeadlineStatus, string> = {
  on_track: 'on track',
  at_risk: 'at risk',
  breached: 'breached',
  met: 'met',
  met_late: 'met late',
};

/** Local wall-clock time of an instant in the zone: "2024-02-06 02:00". */
function localDateTime(iso: string, timeZone: string): string {
  const t = new Date(iso);
  return new Date(t.getTime() + zoneOffsetMs(t, timeZone)).toISOString().slice(0, 16).replace('T', ' ');
}

function sourceText(s: EventSource): string {
  const name = mdText(s.name);
  // Source URLs are validated http(s) URLs; parentheses and spaces are encoded so the link cannot break.
  return s.url ? `[${name}](${s.url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})` : name;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Friday 9 February 2024": spelled out here rather than by Intl, whose punctuation varies with the ICU build. */
function longDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const CLAIM_SECTIONS = [
  ['denied', 'Denied today'],
  ['confirmed', 'Confirmed today'],
  ['reported', 'Reported today'],
  ['retracted', 'Retracted today'],
] as const;

/** The claims ledger's day: the day's steps by kind (empty ones left out), then every claim still unconfirmed at its end. */
function claimLines(d: Digest, who: (slug: string) => string, time: (iso: string) => string, when: (iso: string) => string): string[] {
  const item = (c: DigestClaim, at: string) =>
    `- ${at} — ${who(c.province)}: “${mdText(c.text)}”${c.subject ? ` (${mdText(c.subject)})` : ''} — ${sourceText(c.source)}${c.internal ? ' — _internal_' : ''}`;
  const total = CLAIM_SECTIONS.reduce((n, [key]) => n + d.claims[key].length, 0);
  const lines = [`## Claims (${total} today, ${d.claims.unconfirmed.length} still unconfirmed)`, ''];
  for (const [key, title] of CLAIM_SECTIONS) {
    if (d.claims[key].length === 0) continue;
    lines.push(`### ${title} (${d.claims[key].length})`, '', ...d.claims[key].map((c) => item(c, time(c.at))), '');
  }
  lines.push(`### Still unconfirmed (${d.claims.unconfirmed.length})`, '');
  lines.push(...(d.claims.unconfirmed.length > 0 ? d.claims.unconfirmed.map((c) => item(c, `reported ${when(c.at)}`)) : ['_No claim awaits confirmation._']), '');
  return lines;
}

export function renderDigestMarkdown(d: Digest): string {
  const tz = d.timezone;
  const names = new Map(d.provinces.map((p) => [p.slug, `${mdText(p.name)} (${mdText(p.nameAr)})`]));
  const who = (slug: string) => names.get(slug) ?? mdText(slug);
  const time = (iso: string) => {
    const local = localDateTime(iso, tz);
    return local.startsWith(d.date) ? local.slice(11) : local;
  };
  const list = (items: string[], none: string) => (items.length > 0 ? items : [`_${none}_`]);

  const breaches = d.alerts.filter((a) => a.kind === 'breach');
  const atRisk = d.alerts.filter((a) => a.kind === 'at_risk');
  const lines: string[] = [
    `# Governor selection digest — ${longDate(d.date)}`,
    '',
    `Deadline ${d.deadline} (end of day, ${tz}): ${daysPhrase(d.daysToDeadline)}. As of the end of ${d.date}, as the history is known now.`,
    '',
    ...d.headline.map((h) => `- **${mdText(h)}**`),
    '',
    `![Formation timeline to the end of ${d.date}](${d.timeline})`,
    '',
    `## Breaches (${breaches.length})`,
    '',
    ...list(
      breaches.map((a) => `- ${who(a.province)} — no governor by the deadline (since ${localDateTime(a.openedAt, tz)})${a.new ? ' — **new**' : ''}`),
      'No province is in breach of the deadline.',
    ),
    '',
  ];
  if (atRisk.length > 0) {
    lines.push(
      `## At risk (${atRisk.length})`,
      '',
      ...atRisk.map((a) => `- ${who(a.province)} — a milestone passed ${localDateTime(a.openedAt, tz)}${a.new ? ' — **new**' : ''}`),
      '',
    );
  }
  lines.push(
    `## Changes (${d.changes.length})`,
    '',
    ...list(
      d.changes.map((c) => {
        const flags = [c.confidence === 'reported' ? 'reported, unconfirmed' : null, c.late ? 'after the deadline' : null].filter(Boolean);
        return `- ${time(c.occurredAt)} — ${who(c.province)}: ${mdText(c.summary)} — ${sourceText(c.source)}${flags.length ? ` (${flags.join('; ')})` : ''}`;
      }),
      'No changes on this day.',
    ),
    '',
    `## Reports (${d.reports.length})`,
    '',
    ...list(
      d.reports.map((r) => `- ${time(r.occurredAt)} — ${who(r.province)}: ${mdText(r.kind.replace('_', ' '))}: “${mdText(r.text)}” — ${sourceText(r.source)}`),
      'No reports on this day.',
    ),
    '',
    `## Corrections (${d.corrections.length})`,
    '',
    ...list(
      d.corrections.map((c) => `- ${time(c.retractedAt)} — ${who(c.province)}: event ${c.seq} (${c.type}) retracted: ${mdText(c.reason)}`),
      'No corrections on this day.',
    ),
    '',
    ...claimLines(d, who, time, (iso) => localDateTime(iso, tz)),
    '## Provinces',
    '',
    '| Province | Stage | Tier | Governor | Deadline |',
    '|---|---|---|---|---|',
    ...d.provinces.map((p) => {
      const g = p.governor ? `${mdText(p.governor.name)}${p.governor.nameAr ? ` (${mdText(p.governor.nameAr)})` : ''}` : '—';
      return `| ${who(p.slug)} | ${p.stage} | ${p.tier ?? '—'} | ${g} | ${STATUS_LABEL[p.deadlineStatus]} |`;
    }),
    '',
  );
  return lines.join('\n');
}
