import { Feed } from 'feed';
import { localDate } from '@app/workflow';
import type { AlertView } from '../alerts/alert.view.js';
import { summarizeEvent } from '../provinces/event-summary.js';
import type { EventView } from '../provinces/province.view.js';

/** How a province is named in titles: English, then Arabic. */
export interface ProvinceLabel {
  name: string;
  nameAr: string;
}

/** `timezone`: the cycle's, which names the day of a day-precision event. */
export type FeedEvent = EventView & { provinceLabel: ProvinceLabel; timezone: string };
export type FeedAlert = AlertView & { provinceLabel: ProvinceLabel };

const API = '/api/v1';
const GENERATOR = 'governor-tracker';
/** The `updated` of a feed with no entries: a fixed instant, so that an empty feed is stable too. */
const NEVER = new Date(0);
const TITLE_MAX = 160;

/** The cycle a feed is of; `named`: the request named it (`?cycle=`), and so do the feed's own id and links. */
export interface FeedCycle {
  slug: string;
  named: boolean;
}

/**
 * The one cycle there was before cycles could be many (issue 20; the seeds always named it so): its
 * events' entries were published as `event:<province>:<seq>` and keep those ids. Every other cycle's
 * name it, since the same province slug and seq exist in every cycle and an Atom id must be unique.
 */
const FIRST_CYCLE = 'iraq-2023';

/** Entry ids are URNs of what the entry is about, never of where it is served: they survive any host or path change. */
export const eventEntryId = (cycle: string, slug: string, seq: number) =>
  cycle === FIRST_CYCLE ? `urn:governor-tracker:event:${slug}:${seq}` : `urn:governor-tracker:event:${cycle}:${slug}:${seq}`;
export const alertEntryId = (id: string) => `urn:governor-tracker:alert:${id}`;

/** A path with the feed's cycle in its query when the request named it. */
function withCycle(path: string, cycle: FeedCycle): string {
  return cycle.named ? `${path}${path.includes('?') ? '&' : '?'}cycle=${encodeURIComponent(cycle.slug)}` : path;
}

/** The feed's own id: the cycle's when the request named it. */
const feedId = (name: string, cycle: FeedCycle) => `urn:governor-tracker:feed:${name}${cycle.named ? `:${cycle.slug}` : ''}`;
const feedTitle = (title: string, cycle: FeedCycle) => (cycle.named ? `${title} (${cycle.slug})` : title);

/** Characters XML 1.0 cannot carry (the API's text validation lets U+FFFE/U+FFFF through). */
function xmlSafe(s: string): string {
  return s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

/** The feed library puts content in CDATA as type="html" (titles: textTitles): every user text is escaped as HTML. */
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

/** The instant, or for a day-precision event its day alone in the cycle's zone (its stored time of day was never reported). */
function occurredText(e: FeedEvent): string {
  if (e.occurredAtPrecision !== 'day') return html(e.occurredAt);
  return `${html(localDate(new Date(e.occurredAt), e.timezone))} (${html(e.timezone)}; only the day is reported)`;
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
      `Occurred: ${occurredText(e)}; recorded: ${html(e.recordedAt)}`,
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

/**
 * Entry titles as `type="text"`: the feed library writes every entry title as type="html" in CDATA,
 * which readers render as markup (some print its entities). A title's CDATA holds html()-escaped text,
 * which is also XML-escaped text and holds no `]]>`: the element keeps it without the CDATA, as text.
 */
function textTitles(atom: string): string {
  return atom.replace(/<title type="html"><!\[CDATA\[([\s\S]*?)\]\]><\/title>/g, '<title type="text">$1</title>');
}

/** An absolute URL for a feed link; the feed library refuses relative ones. */
function at(origin: string, path: string): string {
  return new URL(path, origin).toString();
}

/**
 * The changes feed: one entry per recorded event, newest first. An entry is updated when its event is
 * retracted (the retraction is news); otherwise `updated` is when the event was recorded.
 */
export function changesAtom(events: FeedEvent[], origin: string, cycle: FeedCycle): string {
  const updated = (e: EventView) => new Date(e.retractedAt ?? e.recordedAt);
  const provinces = cycle.named ? `${API}/cycles/${encodeURIComponent(cycle.slug)}/provinces` : `${API}/provinces`;
  const feed = new Feed({
    id: feedId('changes', cycle),
    title: feedTitle('Governor tracker: changes', cycle),
    description: 'Every event recorded for the selection of provincial governors, newest first.',
    updated: newest(events.map(updated)),
    generator: GENERATOR,
    author: { name: GENERATOR },
    link: at(origin, withCycle(`${API}/changes`, cycle)),
    feed: at(origin, withCycle(`${API}/feeds/changes.atom`, cycle)),
  });
  for (const e of events) {
    feed.addItem({
      id: eventEntryId(cycle.slug, e.province, e.seq),
      title: html(eventTitle(e)),
      link: at(origin, `${provinces}/${e.province}/events`),
      date: updated(e),
      published: new Date(e.recordedAt),
      content: eventContent(e),
      author: [{ name: xmlSafe(e.actor) }],
      category: [{ term: e.type }, { term: e.province }],
    });
  }
  return textTitles(feed.atom1());
}

/** The alerts feed: one entry per alert, updated whenever the alert changes (opened, acknowledged, resolved). */
export function alertsAtom(alerts: FeedAlert[], origin: string, cycle: FeedCycle): string {
  const feed = new Feed({
    id: feedId('alerts', cycle),
    title: feedTitle('Governor tracker: deadline alerts', cycle),
    description: 'Deadline breaches and at-risk provinces, most recently changed first.',
    updated: newest(alerts.map((a) => new Date(a.updatedAt))),
    generator: GENERATOR,
    author: { name: GENERATOR },
    link: at(origin, withCycle(`${API}/alerts?status=all`, cycle)),
    feed: at(origin, withCycle(`${API}/feeds/alerts.atom`, cycle)),
  });
  for (const a of alerts) {
    feed.addItem({
      id: alertEntryId(a.id),
      title: html(alertTitle(a)),
      link: at(origin, withCycle(`${API}/alerts?status=all&province=${a.province}`, cycle)),
      date: new Date(a.updatedAt),
      published: new Date(a.detectedAt),
      content: alertContent(a),
      category: [{ term: a.kind }, { term: a.status }, { term: a.province }],
    });
  }
  return textTitles(feed.atom1());
}
