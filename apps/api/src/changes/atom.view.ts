import { Feed } from 'feed';
import type { AlertView } from '../alerts/alert.view.js';
import { summarizeEvent } from '../provinces/event-summary.js';
import type { EventView } from '../provinces/province.view.js';

/** How a province is named in titles: English, then Arabic. */
export interface ProvinceLabel {
  name: string;
  nameAr: string;
}

export type FeedEvent = EventView & { provinceLabel: ProvinceLabel };
export type FeedAlert = AlertView & { provinceLabel: ProvinceLabel };

const API = '/api/v1';
const GENERATOR = 'governor-tracker';
/** The `updated` of a feed with no entries: a fixed instant, so that an empty feed is stable too. */
const NEVER = new Date(0);
const TITLE_MAX = 160;

/** Entry ids are URNs of what the entry is about, never of where it is served: they survive any host or path change. */
export const eventEntryId = (slug: string, seq: number) => `urn:governor-tracker:event:${slug}:${seq}`;
export const alertEntryId = (id: string) => `urn:governor-tracker:alert:${id}`;

/** Characters XML 1.0 cannot carry (the API's text validation lets U+FFFE/U+FFFF through). */
function xmlSafe(s: string): string {
  return s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

/** The feed library puts titles and content in CDATA as type="html": every user text is escaped as HTML. */
function html(value: unknown): string {
  return xmlSafe(String(value ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function clip(s: string, max = TITLE_MAX): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

const label = (p: ProvinceLabel) => `${p.name} (${p.nameAr})`;
const list = (items: (string | null)[]) => `<ul>${items.filter((i) => i !== null).map((i) => `<li>${i}</li>`).join('')}</ul>`;
const newest = (dates: Date[]) => dates.reduce((a, b) => (b > a ? b : a), NEVER);

function deadlineLine(e: EventView): string {
  if (e.daysToDeadline === null) return 'no deadline in force';
  const days = Math.abs(e.daysToDeadline);
  const n = `${days} day${days === 1 ? '' : 's'}`;
  if (e.late) return `<strong>late</strong>: ${n} after the deadline`;
  return e.daysToDeadline === 0 ? 'on the deadline day' : `on time: ${n} before the deadline`;
}

function sourceLine(e: EventView): string {
  const url = e.source.url && /^https?:\/\//i.test(e.source.url) ? e.source.url : null;
  const name = html(e.source.name);
  return `Source: ${url ? `<a href="${html(url)}">${name}</a>` : name} (${html(e.confidence)})`;
}

/** The title of an event's entry, e.g. "Basra (البصرة): APPOINT — Asaad Al-Eidani (12 votes)". */
export function eventTitle(e: FeedEvent): string {
  const title = `${label(e.provinceLabel)}: ${summarizeEvent(e.type, e.payload)}`;
  return clip(e.retracted ? `[retracted] ${title}` : title);
}

export function alertTitle(a: FeedAlert): string {
  const kind = a.kind === 'breach' ? 'deadline breached' : 'at risk';
  const status = a.status === 'resolved' && a.resolution ? `resolved (${a.resolution.replace('_', ' ')})` : a.status;
  return `${label(a.provinceLabel)}: ${kind} — ${status}`;
}

function eventContent(e: FeedEvent): string {
  return (
    `<p><strong>${html(label(e.provinceLabel))}</strong> — ${html(e.type)}: ${html(summarizeEvent(e.type, e.payload))}</p>` +
    list([
      e.retracted
        ? `<strong>Retracted</strong> ${html(e.retractedAt)} by ${html(e.retractedBy)}: ${html(e.retractionReason)}`
        : null,
      `Stage: ${html(e.fromStage)} → ${html(e.toStage)}`,
      `Occurred: ${html(e.occurredAt)}; recorded: ${html(e.recordedAt)}`,
      `Deadline: ${deadlineLine(e)}`,
      sourceLine(e),
      `Recorded by: ${html(e.actor)}; event ${e.seq} of ${html(e.province)}`,
      e.note ? `Note: ${html(e.note)}` : null,
    ])
  );
}

function alertContent(a: FeedAlert): string {
  return (
    `<p>${html(a.detail)}</p>` +
    list([
      `Opened: ${html(a.openedAt)} (detected ${html(a.detectedAt)})`,
      a.acknowledgedAt ? `Acknowledged: ${html(a.acknowledgedAt)} by ${html(a.acknowledgedBy)}` : null,
      a.resolvedAt ? `Resolved: ${html(a.resolvedAt)} (${html(a.resolution)})` : null,
    ])
  );
}

/** An absolute URL for a feed link; the feed library refuses relative ones. */
function at(origin: string, path: string): string {
  return new URL(path, origin).toString();
}

/**
 * The changes feed: one entry per recorded event, newest first. An entry is updated when its event is
 * retracted (the retraction is news); otherwise `updated` is when the event was recorded.
 */
export function changesAtom(events: FeedEvent[], origin: string): string {
  const updated = (e: EventView) => new Date(e.retractedAt ?? e.recordedAt);
  const feed = new Feed({
    id: 'urn:governor-tracker:feed:changes',
    title: 'Governor tracker: changes',
    description: 'Every event recorded for the selection of provincial governors, newest first.',
    updated: newest(events.map(updated)),
    generator: GENERATOR,
    author: { name: GENERATOR },
    link: at(origin, `${API}/changes`),
    feed: at(origin, `${API}/feeds/changes.atom`),
  });
  for (const e of events) {
    feed.addItem({
      id: eventEntryId(e.province, e.seq),
      title: html(eventTitle(e)),
      link: at(origin, `${API}/provinces/${e.province}/events`),
      date: updated(e),
      published: new Date(e.recordedAt),
      content: eventContent(e),
      author: [{ name: xmlSafe(e.actor) }],
      category: [{ term: e.type }, { term: e.province }],
    });
  }
  return feed.atom1();
}

/** The alerts feed: one entry per alert, updated whenever the alert changes (opened, acknowledged, resolved). */
export function alertsAtom(alerts: FeedAlert[], origin: string): string {
  const feed = new Feed({
    id: 'urn:governor-tracker:feed:alerts',
    title: 'Governor tracker: deadline alerts',
    description: 'Deadline breaches and at-risk provinces, most recently changed first.',
    updated: newest(alerts.map((a) => new Date(a.updatedAt))),
    generator: GENERATOR,
    author: { name: GENERATOR },
    link: at(origin, `${API}/alerts?status=all`),
    feed: at(origin, `${API}/feeds/alerts.atom`),
  });
  for (const a of alerts) {
    feed.addItem({
      id: alertEntryId(a.id),
      title: html(alertTitle(a)),
      link: at(origin, `${API}/alerts?status=all&province=${a.province}`),
      date: new Date(a.updatedAt),
      published: new Date(a.detectedAt),
      content: alertContent(a),
      category: [{ term: a.kind }, { term: a.status }, { term: a.province }],
    });
  }
  return feed.atom1();
}
