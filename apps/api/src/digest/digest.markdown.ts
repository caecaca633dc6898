import type { EventSource } from '@app/database';
import type { OccurredAtPrecision } from '@app/workflow';
import { localDateTime, type Digest, type DigestClaim } from './digest.builder.js';
import { digestMessages, type DigestMessages, type DigestSection } from './digest.i18n.js';

/**
 * The digest as a reporter would paste it (SPEC §6): headline counts, then breaches, then the day's
 * changes, reports and corrections, then every province; in English with Arabic names beside the
 * English ones, or wholly in Arabic, right to left. It carries the same content as the JSON and
 * nothing else, so the two cannot disagree. Every word comes from the catalogue (digest.i18n.ts).
 */

/** Text from editors is data, not markup: characters that would start Markdown or HTML are escaped. */
export function mdText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>|~]/g, '\\$&');
}

function sourceText(s: EventSource): string {
  const name = mdText(s.name);
  // Source URLs are validated http(s) URLs; parentheses and spaces are encoded so the link cannot break.
  return s.url ? `[${name}](${s.url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})` : name;
}

const CLAIM_STEPS = ['denied', 'confirmed', 'reported', 'retracted'] as const;

/** The claims ledger's day: the day's steps by kind (empty ones left out), then every claim still unconfirmed at its end. */
function claimLines(d: Digest, m: DigestMessages, who: (slug: string) => string, time: (iso: string) => string, when: (iso: string) => string): string[] {
  const item = (c: DigestClaim, at: string) =>
    `- ${at} — ${who(c.province)}: ${m.mdQuote(mdText(c.text))}${c.subject ? ` (${mdText(c.subject)})` : ''} — ${sourceText(c.source)}${c.internal ? m.mdInternal : ''}`;
  const total = CLAIM_STEPS.reduce((n, key) => n + d.claims[key].length, 0);
  const lines = [`## ${m.mdClaimsHeading(total, d.claims.unconfirmed.length)}`, ''];
  for (const key of CLAIM_STEPS) {
    if (d.claims[key].length === 0) continue;
    lines.push(`### ${m.mdClaimStep(key, d.claims[key].length)}`, '', ...d.claims[key].map((c) => item(c, time(c.at))), '');
  }
  lines.push(`### ${m.mdClaimStep('unconfirmed', d.claims.unconfirmed.length)}`, '');
  lines.push(...(d.claims.unconfirmed.length > 0 ? d.claims.unconfirmed.map((c) => item(c, m.mdReportedAt(when(c.at)))) : [m.mdNoUnconfirmed]), '');
  return lines;
}

export function renderDigestMarkdown(d: Digest, m: DigestMessages = digestMessages('en')): string {
  const tz = d.timezone;
  const names = new Map(d.provinces.map((p) => [p.slug, m.mdProvince({ name: mdText(p.name), nameAr: mdText(p.nameAr) })]));
  const who = (slug: string) => names.get(slug) ?? mdText(slug);
  const time = (iso: string) => {
    const local = localDateTime(iso, tz);
    return m.localTime(local.startsWith(d.date) ? local.slice(11) : local);
  };
  // A day-precision event is always of the digest's day (the day's events are listed): no time to print.
  const occurred = (e: { occurredAt: string; occurredAtPrecision: OccurredAtPrecision }) =>
    e.occurredAtPrecision === 'day' ? m.mdTimeNotReported : time(e.occurredAt);
  const since = (iso: string) => m.localTime(localDateTime(iso, tz));
  const list = (items: string[], section: DigestSection) => (items.length > 0 ? items : [`_${m.mdEmpty(section)}_`]);
  const heading = (section: DigestSection, n: number | null) => `## ${m.mdSection(section, n)}`;

  const breaches = d.alerts.filter((a) => a.kind === 'breach');
  const atRisk = d.alerts.filter((a) => a.kind === 'at_risk');
  const lines: string[] = [
    `# ${m.mdTitle(d.date)}`,
    '',
    m.mdDeadline(d.deadline, tz, m.daysPhrase(d.daysToDeadline), d.date),
    '',
    ...d.headline.map((h) => `- **${mdText(h)}**`),
    '',
    `![${m.mdTimelineAlt(d.date)}](${d.timeline})`,
    '',
    heading('breaches', breaches.length),
    '',
    ...list(
      breaches.map((a) => `- ${m.mdBreach(who(a.province), since(a.openedAt))}${a.new ? m.mdNew : ''}`),
      'breaches',
    ),
    '',
  ];
  if (atRisk.length > 0) {
    lines.push(
      heading('atRisk', atRisk.length),
      '',
      ...atRisk.map((a) => `- ${m.mdAtRisk(who(a.province), since(a.openedAt))}${a.new ? m.mdNew : ''}`),
      '',
    );
  }
  lines.push(
    heading('changes', d.changes.length),
    '',
    ...list(
      d.changes.map(
        (c) => `- ${occurred(c)} — ${who(c.province)}: ${mdText(c.summary)} — ${sourceText(c.source)}${m.mdChangeFlags(c.confidence === 'reported', c.late)}`,
      ),
      'changes',
    ),
    '',
    heading('reports', d.reports.length),
    '',
    ...list(
      d.reports.map((r) => `- ${occurred(r)} — ${who(r.province)}: ${mdText(m.reportKind[r.kind])}: ${m.mdQuote(mdText(r.text))} — ${sourceText(r.source)}`),
      'reports',
    ),
    '',
    heading('corrections', d.corrections.length),
    '',
    ...list(
      d.corrections.map((c) => `- ${time(c.retractedAt)} — ${who(c.province)}: ${m.mdRetracted(c.seq, c.type, mdText(c.reason))}`),
      'corrections',
    ),
    '',
    ...claimLines(d, m, who, time, (iso) => m.localTime(localDateTime(iso, tz))),
    heading('provinces', null),
    '',
    `| ${m.mdTableHeader.join(' | ')} |`,
    `|${m.mdTableHeader.map(() => '---').join('|')}|`,
    ...d.provinces.map((p) => {
      const g = p.governor ? m.mdPerson({ name: mdText(p.governor.name), nameAr: p.governor.nameAr ? mdText(p.governor.nameAr) : null }) : '—';
      return `| ${who(p.slug)} | ${m.stage[p.stage]} | ${m.tier[p.tier ?? 'none']} | ${g} | ${m.deadlineStatus[p.deadlineStatus]} |`;
    }),
    '',
  );
  return m.mdDocument(lines);
}
