// Building the board's DOM from API data. Text goes in with textContent only: names and details
// come from editors and must never be read as markup. Words come from i18n.js, in the page's language.

import { countdownText, currentLang, formatDate, formatInstant, num, t } from './i18n.js';
import { provinceHref } from './routes.js';
import { daysToDeadline, localDate } from './time.js';

export const STAGE_STEPS = { criteria: 1, tier: 2, candidate: 3, appointed: 4 };
export const STATUS_MARKS = { breached: '✕', at_risk: '!', on_track: '•', met_late: '✓', met: '✓', no_deadline: '–' };
export const STATUS_ORDER = Object.keys(STATUS_MARKS);

export const stageLabel = (stage) => t(`stage:${stage}`);
export const statusLabel = (status) => t(`status:${status}`);
export const alertKindLabel = (kind) => t(`alertKind:${kind}`);
export const eventTypeLabel = (type) => t(`event:${type}`);

/** h('td', { class: 'x', dataset: { label: 'Tier' } }, 'text', child) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Text in the other script than the page's, marked so that it is read and laid out in its own direction. */
export function arabic(text, className = 'ar') {
  return text ? h('span', { class: className, lang: 'ar', dir: 'rtl' }, text) : null;
}
export function latin(text, className = 'latin') {
  return text ? h('span', { class: className, lang: 'en', dir: 'ltr' }, text) : null;
}

/**
 * A name in both scripts, the page's own first: `primaryClass` on the first, `secondClass` on the other.
 * English pages show the Latin name and the Arabic beside it; Arabic pages the reverse (when an Arabic name exists).
 */
export function bilingual(name, nameAr, { tag = 'span', primaryClass, secondClass }) {
  if (currentLang() === 'ar' && nameAr) return [h(tag, { class: primaryClass }, nameAr), latin(name, `latin ${secondClass}`)];
  return [h(tag, { class: primaryClass }, name), arabic(nameAr, `ar ${secondClass}`)];
}

/** A province's name in the page's language. */
export const provinceName = (p, slug) => (p ? (currentLang() === 'ar' ? p.nameAr : p.name) : slug);

export function statusBadge(status) {
  return h('span', { class: `badge badge--${status}` }, h('span', { class: 'badge__mark', 'aria-hidden': 'true' }, STATUS_MARKS[status] ?? '?'), statusLabel(status));
}

/**
 * The countdown shown beside a status while the province has no governor; once it has one, when the council
 * chose them (or an order reinstated them) and, against a deadline, whether in time. A later selection may
 * have no deadline (none set for vacancies): then there is nothing to count.
 */
export function countdownFor(province, now, timeZone) {
  if (province.stage === 'appointed' && province.governor) {
    const at = new Date(province.governor.reinstatedAt ?? province.governor.appointedAt);
    const day = formatDate(localDate(at, timeZone));
    if (province.governor.reinstatedAt) return t('appointed.reinstated', day);
    if (!province.deadline) return t('appointed.since', day);
    const days = daysToDeadline(province.deadline, at, timeZone);
    const late = days < 0 ? t('appointed.late', -days) : t('appointed.onTime');
    return t('appointed', day, late);
  }
  if (!province.deadline) return t('deadline.none');
  return countdownText(daysToDeadline(province.deadline, now, timeZone));
}

/** A province's deadline as a date, or that none is set (a vacancy's clock may have none). */
export function deadlineDate(province) {
  return province.deadline ? h('time', { datetime: province.deadline }, formatDate(province.deadline)) : h('span', { class: 'muted' }, t('deadline.none'));
}

function person(p, role) {
  return h(
    'li',
    { class: 'person' },
    role ? h('span', { class: 'person__role' }, role) : null,
    ...bilingual(p.name, p.nameAr, { primaryClass: 'person__name', secondClass: 'person__ar' }),
    p.bloc ? h('span', { class: 'person__bloc' }, p.bloc) : null,
  );
}

export function people(province) {
  // Who holds the office, and whether that is disputed: an acting governor while none is elected, a contest pending a ruling.
  const contested = province.contested ? h('li', { class: 'people__contested' }, t('people.contested', province.contested.by)) : null;
  if (province.governor) {
    const g = province.governor;
    const votes = g.votes != null ? t('people.votes', g.votes, province.seats, province.majority) : null;
    return h('ul', { class: 'people' }, person(g, t('people.governor')), votes ? h('li', { class: 'people__votes' }, votes) : null, contested);
  }
  const acting = province.acting ? person(province.acting, t(`enum:kind:${province.acting.kind}`)) : null;
  if (province.nominees.length === 0 && !acting && !contested) return h('span', { class: 'muted' }, t('people.none'));
  return h('ul', { class: 'people' }, acting, ...province.nominees.map((n) => person(n, null)), contested);
}

export function stageBlock(stageCode) {
  const step = STAGE_STEPS[stageCode] ?? 0;
  return h(
    'span',
    { class: 'stage', dataset: { step: String(step) } },
    h('span', { class: 'stage__bar', 'aria-hidden': 'true' }, h('span'), h('span'), h('span'), h('span')),
    h('span', { class: 'stage__label' }, stageLabel(stageCode)),
    h('span', { class: 'visually-hidden' }, t('province.step', step)),
  );
}

/** One province as a table row; `data-label` gives each cell its heading when the table is stacked on phones. */
export function provinceRow(province, { now, timeZone, cycleDeadline }) {
  const ownDeadline = province.deadline !== cycleDeadline;
  const [primary, second] = bilingual(province.name, province.nameAr, { tag: 'a', primaryClass: 'province__name', secondClass: 'province__ar' });
  primary.setAttribute('href', provinceHref(province.slug));
  return h(
    'tr',
    { role: 'row', id: `province-${province.slug}`, class: `row row--${province.deadlineStatus}`, dataset: { slug: province.slug, status: province.deadlineStatus, version: String(province.version) } },
    h(
      'th',
      { scope: 'row', role: 'rowheader', class: 'cell-province' },
      primary,
      second,
      h('span', { class: 'province__meta' }, t('province.meta', province.seats, province.majority)),
    ),
    h('td', { role: 'cell', dataset: { label: t('table.stage') }, class: 'cell-stage' }, stageBlock(province.stage)),
    h(
      'td',
      { role: 'cell', dataset: { label: t('table.tier') }, class: 'cell-tier' },
      province.tier ? h('span', { class: 'tier' }, t(`enum:tier:${province.tier}`)) : h('span', { class: 'muted' }, t('tier.none')),
    ),
    h('td', { role: 'cell', dataset: { label: t('table.people') }, class: 'cell-people' }, people(province)),
    h(
      'td',
      { role: 'cell', dataset: { label: t('table.deadline') }, class: 'cell-deadline' },
      deadlineDate(province),
      ownDeadline && province.deadline ? h('span', { class: 'province__meta' }, t('province.ownDeadline')) : null,
    ),
    h(
      'td',
      { role: 'cell', dataset: { label: t('table.status') }, class: 'cell-status' },
      statusBadge(province.deadlineStatus),
      h('span', { class: 'countdown', dataset: { countdown: province.slug } }, countdownFor(province, now, timeZone)),
    ),
  );
}

function provinceHeading(province, slug) {
  const [primary, second] = bilingual(province?.name ?? slug, province?.nameAr, { tag: 'a', primaryClass: 'alert__name', secondClass: '' });
  primary.setAttribute('href', provinceHref(slug));
  return h('h3', { class: 'alert__province' }, primary, ' ', second);
}

/** One open alert, with its Acknowledge button (only when the key may acknowledge). */
export function alertItem(alert, province, { timeZone, onAck }) {
  const name = provinceName(province, alert.province);
  const kind = alertKindLabel(alert.kind);
  return h(
    'li',
    { class: `alert alert--${alert.kind} alert--${alert.status}`, id: `alert-${alert.id}`, dataset: { alertId: alert.id, province: alert.province } },
    h('div', { class: 'alert__head' }, h('span', { class: `alert__kind alert__kind--${alert.kind}` }, kind), provinceHeading(province, alert.province)),
    h('p', { class: 'alert__detail' }, alert.detail),
    h(
      'div',
      { class: 'alert__foot' },
      h('p', { class: 'alert__since' }, t('alerts.since'), h('time', { datetime: alert.openedAt }, formatInstant(alert.openedAt, timeZone))),
      alert.acknowledgedAt
        ? h('p', { class: 'alert__acked' }, ...t('alerts.ackedBy', alert.acknowledgedBy, h('time', { datetime: alert.acknowledgedAt }, formatInstant(alert.acknowledgedAt, timeZone))))
        : onAck
        ? h(
            'button',
            { type: 'button', class: 'button button--ack', on: { click: (e) => onAck(alert, e.currentTarget) } },
            t('alerts.ack'),
            h('span', { class: 'visually-hidden' }, t('alerts.ackHidden', kind, name)),
          )
        : null,
    ),
  );
}

/** One open claim: what is claimed, about which province, from whom, marked unconfirmed (or denied). */
export function claimItem(claim, province, { timeZone }) {
  const label = claim.status === 'denied' ? t('claims.unconfirmedDenied') : t('claims.unconfirmed');
  return h(
    'li',
    { class: `alert claim claim--${claim.status}`, id: `claim-${claim.id}`, dataset: { claimId: claim.id, province: claim.province } },
    h('div', { class: 'alert__head' }, h('span', { class: 'alert__kind claim__kind' }, label), provinceHeading(province, claim.province)),
    h('p', { class: 'claim__text', dir: 'auto' }, `“${claim.text}”`),
    h(
      'p',
      { class: 'alert__since' },
      ...t('claims.reported', h('time', { datetime: claim.reportedAt }, formatInstant(claim.reportedAt, timeZone)), claim.source.name),
      claim.internal ? t('claims.internal') : '',
    ),
  );
}

/** A status tile: a button that filters the table by that status (its count is set by updateSummaryTile). */
export function summaryTile(status, onPick) {
  return h(
    'li',
    {},
    h(
      'button',
      { type: 'button', class: `tile tile--${status}`, 'aria-pressed': 'false', dataset: { status }, on: { click: () => onPick(status) } },
      h('span', { class: 'tile__count' }, '0'),
      h('span', { class: 'tile__label' }, h('span', { class: 'badge__mark', 'aria-hidden': 'true' }, STATUS_MARKS[status]), h('span', { class: 'tile__text' }, statusLabel(status))),
      h('span', { class: 'visually-hidden tile__hint' }),
    ),
  );
}

export function updateSummaryTile(button, count, activeStatus) {
  const active = button.dataset.status === activeStatus;
  button.setAttribute('aria-pressed', String(active));
  button.querySelector('.tile__count').textContent = num(count);
  button.querySelector('.tile__text').textContent = statusLabel(button.dataset.status);
  button.querySelector('.tile__hint').textContent = active ? t('tile.hintActive', count) : t('tile.hint', count);
}
