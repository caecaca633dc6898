// The newsroom board: sign in with an API key (kept in this tab's sessionStorage only), show every
// province and the open alerts, and keep them current from the API's event stream.

import { CyclePicker } from './cycle-picker.js';
import { LiveStream } from './stream.js';
import { countdownText, daysToDeadline, formatClock, formatDate, formatInstant } from './time.js';
import { ALERT_KINDS, STATUSES, STAGES, alertItem, claimItem, countdownFor, provinceRow, summaryTile, updateSummaryTile } from './view.js';

// This script is served at <api>/board/<version>/board.js: the API is two levels up.
const API = new URL('../../', import.meta.url);
const KEY_STORE = 'governor-tracker.api-key';

const $ = (id) => document.getElementById(id);

const state = {
  key: null,
  cycle: null,
  provinces: [],
  alerts: [],
  claims: [],
  filters: { tier: '', status: '' },
  stream: null,
  updatedAt: null,
};

class AuthError extends Error {}
/** A read answered after another cycle was picked: dropped, the new cycle's reads are on their way. */
class StaleError extends Error {}

// Every read answers for the cycle picked (cycle-picker.js); another choice reloads the board.
const picker = new CyclePicker({ onChange: () => showCycle() });

async function api(path, { method = 'GET' } = {}) {
  const shown = picker.shown;
  const response = await fetch(new URL(method === 'GET' ? picker.scoped(path) : path, API), {
    method,
    headers: { authorization: `Bearer ${state.key}`, accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
  });
  if (response.status === 401) throw new AuthError('The API refused this key.');
  if (method === 'GET' && picker.shown !== shown) throw new StaleError();
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new Error(problem?.detail ?? `The API answered ${response.status}.`);
  }
  return response.json();
}

/**
 * An SVG chart from the API shown in an <img>: fetched with the key (an <img> cannot send it) and
 * handed over as a blob: URL, the previous one revoked. Scripts inside an SVG never run in an <img>.
 */
async function showChart(img, path) {
  const response = await fetch(new URL(picker.scoped(path), API), {
    headers: { authorization: `Bearer ${state.key}`, accept: 'image/svg+xml' },
    cache: 'no-store',
    credentials: 'omit',
  });
  if (response.status === 401) throw new AuthError('The API refused this key.');
  if (!response.ok) throw new Error(`The API answered ${response.status}.`);
  const url = URL.createObjectURL(await response.blob());
  const old = img.dataset.blob;
  img.src = url;
  img.dataset.blob = url;
  img.hidden = false;
  if (old) URL.revokeObjectURL(old);
}

const timeZone = () => state.cycle?.timezone ?? 'Asia/Baghdad';
/** "Baghdad" for Asia/Baghdad: how the page names the cycle's zone in running text. */
const zoneLabel = () => timeZone().split('/').pop().replaceAll('_', ' ');

function announce(text) {
  const el = $('announcer');
  el.textContent = '';
  // A fresh text node after a tick, so that screen readers announce repeated messages too.
  setTimeout(() => (el.textContent = text), 50);
}

function showError(text) {
  const el = $('board-error');
  el.textContent = text ?? '';
  el.hidden = !text;
}

/** Run `task` at most once at a time; calls made meanwhile fold into one more run after it. */
function coalesce(task) {
  let running = null;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await task();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  return run;
}

// ---- rendering ----

function visibleProvinces() {
  const { tier, status } = state.filters;
  return state.provinces.filter(
    (p) => (!tier || (tier === 'none' ? p.tier === null : p.tier === tier)) && (!status || p.deadlineStatus === status),
  );
}

function renderCycle() {
  const c = state.cycle;
  if (!c) return;
  $('cycle-deadline').textContent = `${formatDate(c.deadline)}, end of day`;
  const days = daysToDeadline(c.deadline, new Date(), c.timezone);
  const countdown = $('cycle-countdown');
  countdown.textContent = countdownText(days);
  countdown.dataset.overdue = String(days < 0);
  $('cycle-basis').textContent = c.deadlineBasis ? `Basis: ${c.deadlineBasis}` : '';
  $('cycle-zone').textContent = `Ends ${formatInstant(c.deadlineInstant, c.timezone)} ${zoneLabel()} time (${c.timezone})`;
}

function renderSummary() {
  const counts = Object.fromEntries(Object.keys(STATUSES).map((s) => [s, 0]));
  for (const p of state.provinces) counts[p.deadlineStatus] = (counts[p.deadlineStatus] ?? 0) + 1;
  const list = $('summary');
  // Built once and then updated in place, so that a tile keeps the keyboard focus when pressed.
  if (list.children.length === 0) list.replaceChildren(...Object.keys(STATUSES).map((s) => summaryTile(s, pickStatus)));
  for (const tile of list.querySelectorAll('button[data-status]')) updateSummaryTile(tile, counts[tile.dataset.status], state.filters.status);
}

function renderProvinces() {
  const now = new Date();
  const rows = visibleProvinces();
  const ctx = { now, timeZone: timeZone(), cycleDeadline: state.cycle?.deadline };
  const body = $('province-rows');
  const changed = new Set(Array.from(body.querySelectorAll('tr.is-updated'), (tr) => tr.dataset.slug));
  body.replaceChildren(
    ...rows.map((p) => {
      const row = provinceRow(p, ctx);
      if (changed.has(p.slug)) row.classList.add('is-updated');
      return row;
    }),
  );
  const total = state.provinces.length;
  const withoutGovernor = state.provinces.filter((p) => !p.governor).length;
  $('province-caption').textContent =
    rows.length === total
      ? `All ${total} provinces that voted; ${withoutGovernor} without a governor`
      : `${rows.length} of ${total} provinces match the filters`;
  $('provinces-empty').hidden = rows.length > 0;
  $('province-table').hidden = rows.length === 0;
}

const alertNodes = new Map();

function renderAlerts() {
  const bySlug = new Map(state.provinces.map((p) => [p.slug, p]));
  const list = $('alerts-list');
  const wanted = state.alerts.map((a) => {
    const province = bySlug.get(a.province);
    // An alert's node is kept while it is unchanged: rebuilding it would take the keyboard focus away.
    const key = `${a.updatedAt}|${province?.name ?? ''}|${province?.nameAr ?? ''}`;
    const known = alertNodes.get(a.id);
    if (known?.key === key) return known.node;
    const node = alertItem(a, province, { timeZone: timeZone(), onAck: acknowledge });
    alertNodes.set(a.id, { key, node });
    return node;
  });
  const keep = new Set(wanted);
  for (const node of [...list.children]) if (!keep.has(node)) node.remove();
  for (const [id, { node }] of alertNodes) if (!keep.has(node)) alertNodes.delete(id);
  wanted.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] ?? null);
  });
  $('alerts-count').textContent = `(${state.alerts.length})`;
  $('alerts-empty').hidden = state.alerts.length > 0;
}

function renderClaims() {
  const bySlug = new Map(state.provinces.map((p) => [p.slug, p]));
  $('claims-list').replaceChildren(...state.claims.map((c) => claimItem(c, bySlug.get(c.province), { timeZone: timeZone() })));
  $('claims-count').textContent = `(${state.claims.length})`;
  $('claims-empty').hidden = state.claims.length > 0;
}

function renderUpdated() {
  if (state.updatedAt) $('updated-at').textContent = `Data as of ${formatClock(state.updatedAt, timeZone())} ${zoneLabel()} time`;
}

function renderAll() {
  renderCycle();
  renderSummary();
  renderProvinces();
  renderAlerts();
  renderClaims();
  renderUpdated();
}

function flash(slug) {
  const row = $(`province-${slug}`);
  if (!row) return;
  row.classList.remove('is-updated');
  // Reading layout restarts the CSS animation when the same row changes twice in a row.
  void row.offsetWidth;
  row.classList.add('is-updated');
  setTimeout(() => $(`province-${slug}`)?.classList.remove('is-updated'), 6000);
}

// ---- charts ----

const loadTimeline = coalesce(async () => {
  try {
    await showChart($('timeline-chart'), 'charts/timeline.svg');
    $('timeline-status').hidden = true;
  } catch (err) {
    if (err instanceof AuthError) throw err;
    $('timeline-status').textContent = `Could not draw the timeline: ${err.message}`;
    $('timeline-status').hidden = false;
  }
});

function renderHistoryChoices() {
  const select = $('history-province');
  if (select.options.length > 1) return;
  for (const p of state.provinces) select.append(new Option(`${p.name} · ${p.nameAr}`, p.slug));
}

const loadHistory = coalesce(async () => {
  const slug = $('history-province').value;
  const img = $('history-chart');
  if (!slug) {
    img.hidden = true;
    return;
  }
  const p = state.provinces.find((x) => x.slug === slug);
  img.alt = `Formation history of ${p?.name ?? slug}: its stages along the days from the election, with the deadline`;
  await showChart(img, `charts/timeline.svg?province=${encodeURIComponent(slug)}`);
});

// ---- data ----

function guard(promise) {
  return promise.catch((err) => {
    if (err instanceof StaleError) return;
    if (err instanceof AuthError) return signOut('The API refused this key (it may have been revoked). Sign in again.');
    showError(`Could not update the board: ${err.message}`);
  });
}

const loadAll = coalesce(async () => {
  await picker.load(api);
  const [cycle, provinces, alerts, claims] = await Promise.all([api('cycle'), api('provinces'), api('alerts?status=open'), api('claims?status=open')]);
  Object.assign(state, { cycle, provinces: provinces.items, alerts: alerts.items, claims: claims.items, updatedAt: new Date() });
  showError(null);
  renderAll();
  renderHistoryChoices();
  void guard(loadTimeline());
  if ($('history-province').value) void guard(loadHistory());
});

const loadAlerts = coalesce(async () => {
  state.alerts = (await api('alerts?status=open')).items;
  state.updatedAt = new Date();
  renderAlerts();
  renderUpdated();
});

const loadClaims = coalesce(async () => {
  state.claims = (await api('claims?status=open')).items;
  state.updatedAt = new Date();
  renderClaims();
  renderUpdated();
});

async function loadProvince(slug) {
  const fresh = await api(`provinces/${encodeURIComponent(slug)}`);
  const i = state.provinces.findIndex((p) => p.slug === slug);
  // Two fetches may cross: never let an older version replace a newer one.
  if (i === -1) state.provinces.push(fresh);
  else if (fresh.version >= state.provinces[i].version) state.provinces[i] = fresh;
  else return;
  state.updatedAt = new Date();
  renderSummary();
  renderProvinces();
  renderAlerts();
  renderUpdated();
  flash(slug);
  void guard(loadTimeline());
  if ($('history-province').value === slug) void guard(loadHistory());
}

function onStreamMessage(message) {
  if (message.type === 'heartbeat') return;
  let notice;
  try {
    notice = JSON.parse(message.data);
  } catch {
    return;
  }
  const data = notice?.data ?? {};
  // Another cycle's news is not this board's, but a change of any cycle (its name, the default) may change the picker.
  const cycleWide = message.type === 'province.changed' && !data.province;
  if (!cycleWide && !picker.shows(notice)) return;
  if (message.type === 'province.changed') {
    const slug = data.province?.slug;
    if (slug) {
      void guard(loadProvince(slug));
      const name = state.provinces.find((p) => p.slug === slug)?.name ?? slug;
      announce(`${name} changed: ${STAGES[data.province.stage]?.label ?? data.province.stage}.`);
    } else {
      // A cycle-wide change (the deadline moved): every province's status may differ.
      void guard(loadAll());
      announce('The cycle changed; the board was refreshed.');
    }
  } else if (message.type === 'claim.changed') {
    void guard(loadClaims());
    const slug = data.claim?.province;
    const name = state.provinces.find((p) => p.slug === slug)?.name ?? slug;
    if (data.claim) announce(`Claim ${data.claim.status}, ${name}.`);
  } else if (message.type.startsWith('alert.')) {
    void guard(loadAlerts());
    const slug = data.alert?.province;
    // The sweep opens alerts as time passes, without any province event: refresh that province's status too.
    if (slug && message.type !== 'alert.acknowledged') void guard(loadProvince(slug));
    if (message.type === 'alert.opened' && data.alert) {
      const name = state.provinces.find((p) => p.slug === slug)?.name ?? slug;
      announce(`New alert: ${ALERT_KINDS[data.alert.kind] ?? data.alert.kind}, ${name}.`);
    }
  }
}

/** Another cycle was picked: what the board shows of the previous one goes, and everything is read again. */
function showCycle() {
  Object.assign(state, { cycle: null, provinces: [], alerts: [], claims: [] });
  alertNodes.clear();
  $('alerts-list').replaceChildren();
  $('claims-list').replaceChildren();
  $('province-rows').replaceChildren();
  const choices = $('history-province');
  choices.value = '';
  while (choices.options.length > 1) choices.remove(1);
  $('history-chart').hidden = true;
  void guard(loadAll());
}

// ---- actions ----

async function acknowledge(alert, button) {
  const list = [...$('alerts-list').children];
  const index = list.findIndex((li) => li.dataset.alertId === alert.id);
  button.disabled = true;
  button.firstChild.textContent = 'Acknowledging…';
  try {
    await api(`alerts/${encodeURIComponent(alert.id)}/ack`, { method: 'POST' });
    state.alerts = state.alerts.filter((a) => a.id !== alert.id);
    renderAlerts();
    const name = state.provinces.find((p) => p.slug === alert.province)?.name ?? alert.province;
    announce(`Acknowledged: ${ALERT_KINDS[alert.kind] ?? alert.kind}, ${name}.`);
    // Keep the keyboard where it was: on the next alert's button, or on the heading when none is left.
    const buttons = $('alerts-list').querySelectorAll('button.button--ack');
    (buttons[Math.min(index, buttons.length - 1)] ?? $('alerts-title')).focus();
    void guard(loadAlerts());
  } catch (err) {
    if (err instanceof AuthError) return signOut('The API refused this key. Sign in again.');
    button.disabled = false;
    button.firstChild.textContent = 'Acknowledge';
    showError(`Could not acknowledge the alert: ${err.message}`);
  }
}

function pickStatus(status) {
  state.filters.status = state.filters.status === status ? '' : status;
  $('filter-status').value = state.filters.status;
  renderSummary();
  renderProvinces();
}

function readFilters() {
  state.filters = { tier: $('filter-tier').value, status: $('filter-status').value };
  renderSummary();
  renderProvinces();
}

// ---- the stream indicator ----

let timerInterval = null;

function showConnection(status) {
  const box = $('connection');
  const text = $('connection-text');
  const timer = $('connection-timer');
  const zone = timeZone();
  clearInterval(timerInterval);
  timer.textContent = '';
  $('retry-now').hidden = status.state !== 'reconnecting';
  box.dataset.state = status.state;
  switch (status.state) {
    case 'connecting':
      box.dataset.state = status.droppedAt ? 'reconnecting' : 'connecting';
      text.textContent = status.droppedAt
        ? `Live updates lost at ${formatClock(status.droppedAt, zone)}; reconnecting…`
        : 'Connecting to live updates…';
      break;
    case 'live':
      text.textContent = status.reconnected
        ? `Live again since ${formatClock(status.since, zone)} (dropped at ${formatClock(status.droppedAt, zone)})`
        : 'Live';
      break;
    case 'reconnecting': {
      text.textContent = `Live updates lost at ${formatClock(status.droppedAt, zone)}; reconnecting`;
      const tick = () => {
        const s = Math.max(0, Math.ceil((status.retryAt.getTime() - Date.now()) / 1000));
        timer.textContent = `in ${s} s`;
      };
      tick();
      timerInterval = setInterval(tick, 1000);
      break;
    }
    default:
      text.textContent = 'Not connected';
  }
}

function onStreamStatus(status) {
  showConnection(status);
  // Whatever happened while the stream was down is fetched again.
  if (status.state === 'live' && status.reconnected) void guard(loadAll());
}

// ---- signing in and out ----

function startStream() {
  state.stream?.stop();
  state.stream = new LiveStream({
    url: new URL('stream', API),
    headers: () => ({ authorization: `Bearer ${state.key}` }),
    onMessage: onStreamMessage,
    onStatus: onStreamStatus,
    onUnauthorized: () => signOut('The API refused this key on the live stream. Sign in again.'),
  });
  state.stream.start();
}

async function signIn(key) {
  state.key = key;
  try {
    // One request tells a wrong key from a right one; only then is everything else asked for.
    await api('cycle');
    await loadAll();
  } catch (err) {
    state.key = null;
    sessionStorage.removeItem(KEY_STORE);
    throw err;
  }
  sessionStorage.setItem(KEY_STORE, key);
  $('sign-in').hidden = true;
  $('board').hidden = false;
  $('sign-out').hidden = false;
  startStream();
}

function signOut(message) {
  state.stream?.stop();
  state.stream = null;
  state.key = null;
  sessionStorage.removeItem(KEY_STORE);
  Object.assign(state, { cycle: null, provinces: [], alerts: [], claims: [] });
  picker.clear();
  alertNodes.clear();
  $('alerts-list').replaceChildren();
  $('claims-list').replaceChildren();
  // The charts showed data read with the key: drop them with it.
  for (const id of ['timeline-chart', 'history-chart', 'workflow-chart']) {
    const img = $(id);
    if (img.dataset.blob) URL.revokeObjectURL(img.dataset.blob);
    img.removeAttribute('src');
    delete img.dataset.blob;
    img.hidden = true;
  }
  $('board').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  showConnection({ state: 'stopped' });
  const error = $('key-error');
  error.textContent = message ?? '';
  error.hidden = !message;
  $('api-key').value = '';
  $('api-key').focus();
}

function wire() {
  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('api-key');
    const key = input.value.trim();
    const error = $('key-error');
    if (!key) {
      error.textContent = 'Enter an API key.';
      error.hidden = false;
      input.focus();
      return;
    }
    error.hidden = true;
    const button = event.target.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await signIn(key);
      input.value = '';
      $('main').focus({ preventScroll: true });
    } catch (err) {
      error.textContent = err instanceof AuthError ? 'This key was refused. Check it and try again.' : `Could not reach the API: ${err.message}`;
      error.hidden = false;
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  $('sign-out').addEventListener('click', () => signOut(null));
  $('filters').addEventListener('change', readFilters);
  // A reset event fires before the form's controls are reset.
  $('filters').addEventListener('reset', () => setTimeout(readFilters));
  $('retry-now').addEventListener('click', () => state.stream?.retryNow());
  $('history-province').addEventListener('change', () => void guard(loadHistory()));
  $('workflow').addEventListener('toggle', () => {
    if ($('workflow').open && $('workflow-chart').hidden) void guard(showChart($('workflow-chart'), 'machine?format=svg'));
  });
  window.addEventListener('online', () => state.stream?.retryNow());
  // Countdowns move at midnight in Baghdad, not at the next change: redraw them every minute.
  setInterval(() => {
    if (!state.cycle) return;
    renderCycle();
    const now = new Date();
    for (const p of state.provinces) {
      const el = document.querySelector(`[data-countdown="${CSS.escape(p.slug)}"]`);
      if (el) el.textContent = countdownFor(p, now, timeZone());
    }
  }, 60_000);
}

wire();
const saved = sessionStorage.getItem(KEY_STORE);
if (saved) {
  signIn(saved).catch((err) => {
    signOut(err instanceof AuthError ? 'The saved key was refused. Sign in again.' : `Could not reach the API: ${err.message}`);
  });
} else {
  $('api-key').focus();
}
