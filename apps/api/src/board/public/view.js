// Building the board's DOM from API data. Text goes in with textContent only: names and details
// come from editors and must never be read as markup.

import { countdownText, daysToDeadline, formatDate, formatInstant, localDate } from './time.js';

export const STAGES = {
  criteria: { label: 'Setting criteria', step: 1 },
  tier: { label: 'Tier assigned', step: 2 },
  candidate: { label: 'Candidates named', step: 3 },
  appointed: { label: 'Governor appointed', step: 4 },
};

export const STATUSES = {
  breached: { label: 'Breached', mark: '✕' },
  at_risk: { label: 'At risk', mark: '!' },
  on_track: { label: 'On track', mark: '•' },
  met_late: { label: 'Met late', mark: '✓' },
  met: { label: 'Met', mark: '✓' },
};

export const ALERT_KINDS = { breach: 'Deadline breach', at_risk: 'At risk' };

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

function arabic(text, className = 'ar') {
  return text ? h('span', { class: className, lang: 'ar', dir: 'rtl' }, text) : null;
}

export function statusBadge(status) {
  const s = STATUSES[status] ?? { label: status, mark: '?' };
  return h('span', { class: `badge badge--${status}` }, h('span', { class: 'badge__mark', 'aria-hidden': 'true' }, s.mark), s.label);
}

/** The countdown shown beside a status: only while the province still has no governor. */
export function countdownFor(province, now, timeZone) {
  if (province.stage === 'appointed' && province.governor) {
    const at = new Date(province.governor.appointedAt);
    const days = daysToDeadline(province.deadline, at, timeZone);
    const late = days < 0 ? `${-days} ${days === -1 ? 'day' : 'days'} late` : 'on time';
    return `Appointed ${formatDate(localDate(at, timeZone))}, ${late}`;
  }
  return countdownText(daysToDeadline(province.deadline, now, timeZone));
}

function person(p, role) {
  return h(
    'li',
    { class: 'person' },
    role ? h('span', { class: 'person__role' }, role) : null,
    h('span', { class: 'person__name' }, p.name),
    arabic(p.nameAr, 'ar person__ar'),
    p.bloc ? h('span', { class: 'person__bloc' }, p.bloc) : null,
  );
}

function people(province) {
  if (province.governor) {
    const g = province.governor;
    const votes = g.votes != null ? `${g.votes} of ${province.seats} votes (majority ${province.majority})` : null;
    return h('ul', { class: 'people' }, person(g, 'Governor'), votes ? h('li', { class: 'people__votes' }, votes) : null);
  }
  if (province.nominees.length === 0) return h('span', { class: 'muted' }, 'No nominee yet');
  return h('ul', { class: 'people' }, province.nominees.map((n) => person(n, null)));
}

/** One province as a table row; `data-label` gives each cell its heading when the table is stacked on phones. */
export function provinceRow(province, { now, timeZone, cycleDeadline }) {
  const stage = STAGES[province.stage] ?? { label: province.stage, step: 0 };
  const ownDeadline = province.deadline !== cycleDeadline;
  return h(
    'tr',
    { role: 'row', id: `province-${province.slug}`, class: `row row--${province.deadlineStatus}`, dataset: { slug: province.slug, status: province.deadlineStatus, version: String(province.version) } },
    h(
      'th',
      { scope: 'row', role: 'rowheader', class: 'cell-province' },
      h('span', { class: 'province__name' }, province.name),
      arabic(province.nameAr, 'ar province__ar'),
      h('span', { class: 'province__meta' }, `${province.seats} seats · majority ${province.majority}`),
    ),
    h(
      'td',
      { role: 'cell', dataset: { label: 'Stage' }, class: 'cell-stage' },
      h('span', { class: 'stage', dataset: { step: String(stage.step) } },
        h('span', { class: 'stage__bar', 'aria-hidden': 'true' }, h('span'), h('span'), h('span'), h('span')),
        h('span', { class: 'stage__label' }, stage.label),
        h('span', { class: 'visually-hidden' }, ` (step ${stage.step} of 4)`),
      ),
    ),
    h('td', { role: 'cell', dataset: { label: 'Tier' }, class: 'cell-tier' }, province.tier ? h('span', { class: 'tier' }, province.tier) : h('span', { class: 'muted' }, 'None')),
    h('td', { role: 'cell', dataset: { label: 'Nominees or governor' }, class: 'cell-people' }, people(province)),
    h(
      'td',
      { role: 'cell', dataset: { label: 'Deadline' }, class: 'cell-deadline' },
      h('time', { datetime: province.deadline }, formatDate(province.deadline)),
      ownDeadline ? h('span', { class: 'province__meta' }, 'province deadline') : null,
    ),
    h(
      'td',
      { role: 'cell', dataset: { label: 'Status' }, class: 'cell-status' },
      statusBadge(province.deadlineStatus),
      h('span', { class: 'countdown', dataset: { countdown: province.slug } }, countdownFor(province, now, timeZone)),
    ),
  );
}

/** One open alert, with its Acknowledge button. */
export function alertItem(alert, province, { timeZone, onAck }) {
  const name = province?.name ?? alert.province;
  const kind = ALERT_KINDS[alert.kind] ?? alert.kind;
  return h(
    'li',
    { class: `alert alert--${alert.kind}`, id: `alert-${alert.id}`, dataset: { alertId: alert.id, province: alert.province } },
    h(
      'div',
      { class: 'alert__head' },
      h('span', { class: `alert__kind alert__kind--${alert.kind}` }, kind),
      h('h3', { class: 'alert__province' }, name, ' ', arabic(province?.nameAr)),
    ),
    h('p', { class: 'alert__detail' }, alert.detail),
    h(
      'div',
      { class: 'alert__foot' },
      h('p', { class: 'alert__since' }, 'Since ', h('time', { datetime: alert.openedAt }, formatInstant(alert.openedAt, timeZone))),
      h(
        'button',
        { type: 'button', class: 'button button--ack', on: { click: (e) => onAck(alert, e.currentTarget) } },
        'Acknowledge',
        h('span', { class: 'visually-hidden' }, ` ${kind.toLowerCase()} alert for ${name}`),
      ),
    ),
  );
}

/** One open claim: what is claimed, about which province, from whom, marked unconfirmed (or denied). */
export function claimItem(claim, province, { timeZone }) {
  const name = province?.name ?? claim.province;
  const label = claim.status === 'denied' ? 'Unconfirmed · denied' : 'Unconfirmed';
  return h(
    'li',
    { class: `alert claim claim--${claim.status}`, id: `claim-${claim.id}`, dataset: { claimId: claim.id, province: claim.province } },
    h(
      'div',
      { class: 'alert__head' },
      h('span', { class: 'alert__kind claim__kind' }, label),
      h('h3', { class: 'alert__province' }, name, ' ', arabic(province?.nameAr)),
    ),
    h('p', { class: 'claim__text' }, `“${claim.text}”`),
    h(
      'p',
      { class: 'alert__since' },
      'Reported ',
      h('time', { datetime: claim.reportedAt }, formatInstant(claim.reportedAt, timeZone)),
      ` by ${claim.source.name}`,
      claim.internal ? ' · internal' : '',
    ),
  );
}

/** A status tile: a button that filters the table by that status (its count is set by updateSummaryTile). */
export function summaryTile(status, onPick) {
  const s = STATUSES[status];
  return h(
    'li',
    {},
    h(
      'button',
      { type: 'button', class: `tile tile--${status}`, 'aria-pressed': 'false', dataset: { status }, on: { click: () => onPick(status) } },
      h('span', { class: 'tile__count' }, '0'),
      h('span', { class: 'tile__label' }, h('span', { class: 'badge__mark', 'aria-hidden': 'true' }, s.mark), s.label),
      h('span', { class: 'visually-hidden tile__hint' }),
    ),
  );
}

export function updateSummaryTile(button, count, activeStatus) {
  const active = button.dataset.status === activeStatus;
  button.setAttribute('aria-pressed', String(active));
  button.querySelector('.tile__count').textContent = String(count);
  const noun = count === 1 ? 'province' : 'provinces';
  button.querySelector('.tile__hint').textContent = active ? ` ${noun}; shown alone, press to show all` : ` ${noun}; press to show only these`;
}
