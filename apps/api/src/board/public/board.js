// The newsroom board and desk: sign in with an API key (kept in this tab's sessionStorage only), show
// every province and the open alerts, keep them current from the API's event stream, and route to a
// province's page (#/provinces/<slug>) or the digest (#/digest). What a key may do is read from the
// API's own document (x-required-role); the API refuses the rest anyway.

import { AuthError, StaleError, allowed, createApi } from './api.js';
import { CyclePicker } from './cycle-picker.js';
import { createDigestPage } from './digest.js';
import { countdownText, currentLang, formatClock, formatDate, formatInstant, initialLang, num, onLangChange, setLang, t } from './i18n.js';
import { createProvincePage } from './province.js';
import { parseRoute, retargetHref, setLinkCycle } from './routes.js';
import { LiveStream } from './stream.js';
import { daysToDeadline } from './time.js';
import { STATUS_ORDER, alertItem, alertKindLabel, claimItem, countdownFor, provinceName, provinceRow, stageLabel, summaryTile, updateSummaryTile } from './view.js';

// This script is served at <api>/board/<version>/board.js: the API is two levels up.
const API = new URL('../../', import.meta.url);
const KEY_STORE = 'governor-tracker.api-key';

const $ = (id) => document.getElementById(id);

const state = {
  key: null,
  me: null,
  doc: null,
  cycle: null,
  provinces: [],
  alerts: [],
  claims: [],
  filters: { tier: '', status: '' },
  stream: null,
  updatedAt: null,
  view: null,
  connection: { state: 'idle' },
};

// Every read answers for the cycle picked (cycle-picker.js); another choice reloads the board.
const picker = new CyclePicker({ onChange: () => showCycle() });

const api = createApi({ base: API, key: () => state.key, cycle: () => picker.slug });
/** Whether this key may call an operation of api.js, by the API's own document. */
const may = (name) => allowed(state.doc, state.me?.role, name);

/**
 * An SVG chart from the API shown in an <img>: fetched with the key (an <img> cannot send it) and
 * handed over as a blob: URL, the previous one revoked. Scripts inside an SVG never run in an <img>.
 */
async function showChart(img, path, query) {
  const url = URL.createObjectURL(await api.chart(path, query));
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
  $('cycle-deadline').textContent = t('deadline.endOfDay', formatDate(c.deadline));
  const days = daysToDeadline(c.deadline, new Date(), c.timezone);
  const countdown = $('cycle-countdown');
  // The cycle's deadline is everyone's: once past, it says when, not that the cycle is "overdue" (each province says whether it met it).
  countdown.textContent = days < 0 ? t('deadline.passed', -days) : countdownText(days);
  countdown.dataset.overdue = String(days < 0);
  $('cycle-basis').textContent = c.deadlineBasis ? t('deadline.basis', c.deadlineBasis) : '';
  $('cycle-zone').textContent = t('deadline.ends', formatInstant(c.deadlineInstant, c.timezone), zoneLabel(), c.timezone);
}

function renderSummary() {
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0]));
  for (const p of state.provinces) counts[p.deadlineStatus] = (counts[p.deadlineStatus] ?? 0) + 1;
  const list = $('summary');
  // Built once and then updated in place, so that a tile keeps the keyboard focus when pressed.
  if (list.children.length === 0) list.replaceChildren(...STATUS_ORDER.map((s) => summaryTile(s, pickStatus)));
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
  $('province-caption').textContent = rows.length === total ? t('caption.all', total, withoutGovernor) : t('caption.some', rows.length, total);
  $('provinces-empty').hidden = rows.length > 0;
  $('province-table').hidden = rows.length === 0;
}

const alertNodes = new Map();

function renderAlerts() {
  $('alerts').hidden = !may('alerts');
  const bySlug = new Map(state.provinces.map((p) => [p.slug, p]));
  const list = $('alerts-list');
  const onAck = may('ack') ? acknowledge : null;
  const wanted = state.alerts.map((a) => {
    const province = bySlug.get(a.province);
    // An alert's node is kept while it is unchanged: rebuilding it would take the keyboard focus away.
    const key = `${a.updatedAt}|${province?.name ?? ''}|${province?.nameAr ?? ''}|${currentLang()}`;
    const known = alertNodes.get(a.id);
    if (known?.key === key) return known.node;
    const node = alertItem(a, province, { timeZone: timeZone(), onAck });
    alertNodes.set(a.id, { key, node });
    return node;
  });
  const keep = new Set(wanted);
  for (const node of [...list.children]) if (!keep.has(node)) node.remove();
  for (const [id, { node }] of alertNodes) if (!keep.has(node)) alertNodes.delete(id);
  wanted.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] ?? null);
  });
  $('alerts-count').textContent = `(${num(state.alerts.length)})`;
  $('alerts-empty').hidden = state.alerts.length > 0;
}

function renderClaims() {
  const bySlug = new Map(state.provinces.map((p) => [p.slug, p]));
  $('claims-list').replaceChildren(...state.claims.map((c) => claimItem(c, bySlug.get(c.province), { timeZone: timeZone() })));
  $('claims-count').textContent = `(${num(state.claims.length)})`;
  $('claims-empty').hidden = state.claims.length > 0;
}

function renderUpdated() {
  if (state.updatedAt) $('updated-at').textContent = t('updated', formatClock(state.updatedAt, timeZone()), zoneLabel());
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
    $('timeline-status').textContent = t('timeline.failed', err.message);
    delete $('timeline-status').dataset.t;
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
  img.alt = t('history.alt', provinceName(p, slug));
  await showChart(img, 'charts/timeline.svg', { province: slug });
});

// ---- data ----

function guard(promise) {
  return promise.catch((err) => {
    if (err instanceof StaleError) return;
    if (err instanceof AuthError) return signOut(t('signIn.revoked'));
    showError(t('board.error', err.message));
  });
}

/**
 * The active alerts: open and acknowledged, since an acknowledged alert stays active until it clears
 * (the list agrees with the BREACHED tile). In the API's order: oldest first, then province and kind.
 */
async function activeAlerts() {
  const [open, acknowledged] = await Promise.all([api.alerts('open'), api.alerts('acknowledged')]);
  const order = (a, b) => a.openedAt.localeCompare(b.openedAt) || a.province.localeCompare(b.province) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id);
  return [...open.items, ...acknowledged.items].sort(order);
}

const loadAll = coalesce(async () => {
  await picker.load((path) => api.get(path));
  followCycle();
  const [cycle, provinces, alerts, claims] = await Promise.all([
    api.cycle(),
    api.provinces(),
    may('alerts') ? activeAlerts() : [],
    may('claims') ? api.claims('open') : { items: [] },
  ]);
  Object.assign(state, { cycle, provinces: provinces.items, alerts, claims: claims.items, updatedAt: new Date() });
  showError(null);
  renderAll();
  renderHistoryChoices();
  void guard(loadTimeline());
  if ($('history-province').value) void guard(loadHistory());
});

const loadAlerts = coalesce(async () => {
  if (!may('alerts')) return;
  state.alerts = await activeAlerts();
  state.updatedAt = new Date();
  renderAlerts();
  renderUpdated();
});

const loadClaims = coalesce(async () => {
  state.claims = (await api.claims('open')).items;
  state.updatedAt = new Date();
  renderClaims();
  renderUpdated();
});

async function loadProvince(slug) {
  const fresh = await api.province(slug);
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
  provincePage?.onNotice(message.type, data);
  const nameOf = (slug) => provinceName(state.provinces.find((p) => p.slug === slug), slug);
  if (message.type === 'province.changed') {
    const slug = data.province?.slug;
    if (slug) {
      void guard(loadProvince(slug));
      announce(t('changed', nameOf(slug), stageLabel(data.province.stage)));
    } else {
      // A cycle-wide change (the deadline moved): every province's status may differ.
      void guard(loadAll());
      announce(t('cycleChanged'));
    }
  } else if (message.type === 'claim.changed') {
    void guard(loadClaims());
    if (data.claim) announce(t('claims.changed', data.claim.status, nameOf(data.claim.province)));
  } else if (message.type.startsWith('alert.')) {
    void guard(loadAlerts());
    const slug = data.alert?.province;
    // The sweep opens alerts as time passes, without any province event: refresh that province's status too.
    if (slug && message.type !== 'alert.acknowledged') void guard(loadProvince(slug));
    if (message.type === 'alert.opened' && data.alert) announce(t('alerts.new', alertKindLabel(data.alert.kind), nameOf(slug)));
  }
}

/** The page's route links carry the cycle on show (routes.js), so that moving about the desk keeps it. */
function followCycle() {
  setLinkCycle(picker.slug);
  for (const a of document.querySelectorAll('a[href^="#/"], a[href^="#cycle="]')) a.setAttribute('href', retargetHref(a.getAttribute('href')));
}

/** Another cycle was picked: what the board shows of the previous one goes, and everything is read again. */
function showCycle() {
  followCycle();
  // A province's page or the digest shown for the previous cycle starts over (route() shows it again).
  provincePage?.hide();
  digestPage?.hide();
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
  button.firstChild.textContent = t('alerts.acking');
  try {
    const acknowledged = (await api.ack(alert.id)).body;
    state.alerts = state.alerts.map((a) => (a.id === alert.id ? acknowledged : a));
    renderAlerts();
    const name = provinceName(state.provinces.find((p) => p.slug === alert.province), alert.province);
    announce(t('alerts.acked', alertKindLabel(alert.kind), name));
    // The alert stays, without its button: the keyboard goes to the next alert's button (else the one
    // before it), or to the heading when none is left.
    const items = [...$('alerts-list').children];
    const buttonOf = (li) => li.querySelector('button.button--ack');
    const next = items.slice(index + 1).find(buttonOf) ?? items.slice(0, index).reverse().find(buttonOf);
    (next ? buttonOf(next) : $('alerts-title')).focus();
    void guard(loadAlerts());
  } catch (err) {
    if (err instanceof AuthError) return signOut(t('signIn.revoked'));
    button.disabled = false;
    button.firstChild.textContent = t('alerts.ack');
    showError(t('alerts.ackFailed', err.message));
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
  state.connection = status;
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
      text.textContent = status.droppedAt ? t('conn.lostReconnecting', formatClock(status.droppedAt, zone)) : t('conn.connecting');
      break;
    case 'live':
      text.textContent = status.reconnected ? t('conn.liveAgain', formatClock(status.since, zone), formatClock(status.droppedAt, zone)) : t('conn.live');
      break;
    case 'reconnecting': {
      text.textContent = t('conn.lost', formatClock(status.droppedAt, zone));
      const tick = () => {
        const s = Math.max(0, Math.ceil((status.retryAt.getTime() - Date.now()) / 1000));
        timer.textContent = t('conn.in', s);
      };
      tick();
      timerInterval = setInterval(tick, 1000);
      break;
    }
    case 'public':
      text.textContent = t('conn.publicKey');
      break;
    default:
      text.textContent = t('conn.idle');
  }
}

function onStreamStatus(status) {
  showConnection(status);
  // Whatever happened while the stream was down is fetched again.
  if (status.state === 'live' && status.reconnected) {
    void guard(loadAll());
    provincePage?.onNotice('province.changed', { cycle: {} });
  }
}

// ---- views: the board, a province, the digest ----

let provincePage = null;
let digestPage = null;

const deskContext = {
  api,
  doc: () => state.doc,
  me: () => state.me,
  cycle: () => state.cycle,
  timeZone,
  may,
  announce,
  provinces: () => state.provinces,
  authFailed: () => signOut(t('signIn.revoked')),
};

function showView(name) {
  state.view = name;
  $('board').hidden = name !== 'board';
  $('province-view').hidden = name !== 'province';
  $('digest-view').hidden = name !== 'digest';
  for (const link of document.querySelectorAll('.skip-link--board')) link.hidden = name !== 'board';
  $('nav-board').toggleAttribute('aria-current', name === 'board');
  if (name === 'board') $('nav-board').setAttribute('aria-current', 'page');
  $('nav-digest').toggleAttribute('aria-current', name === 'digest');
  if (name === 'digest') $('nav-digest').setAttribute('aria-current', 'page');
}

async function route() {
  if (!state.key) return;
  const r = parseRoute(location.hash);
  if (!r) return;
  if (r.view !== 'province') provincePage?.hide();
  if (r.view !== 'digest') digestPage?.hide();
  if (r.view === 'province') {
    provincePage ??= createProvincePage($('province-view'), deskContext);
    showView('province');
    await provincePage.show(r);
  } else if (r.view === 'digest') {
    digestPage ??= createDigestPage($('digest-view'), deskContext);
    showView('digest');
    await digestPage.show(r);
  } else {
    const from = state.view;
    showView('board');
    if (from && from !== 'board') $('main').focus({ preventScroll: true });
  }
  followCycle();
}

// ---- the language ----

function showLangSwitch() {
  const button = $('lang-switch');
  const other = currentLang() === 'ar' ? 'en' : 'ar';
  button.textContent = t('lang.switch');
  button.lang = other;
}

onLangChange(() => {
  showLangSwitch();
  if (state.me) $('whoami').textContent = t('whoami', state.me.name, state.me.role);
  if (state.cycle) renderAll();
  showConnection(state.connection);
  provincePage?.relabel();
  digestPage?.relabel();
});

// ---- signing in and out ----

function startStream() {
  state.stream?.stop();
  if (!may('stream')) {
    showConnection({ state: 'public' });
    return;
  }
  state.stream = new LiveStream({
    url: api.streamUrl(),
    headers: () => ({ authorization: `Bearer ${state.key}` }),
    onMessage: onStreamMessage,
    onStatus: onStreamStatus,
    onUnauthorized: () => signOut(t('signIn.streamRefused')),
  });
  state.stream.start();
}

async function signIn(key) {
  state.key = key;
  try {
    // One request tells a wrong key from a right one; only then is everything else asked for.
    await api.cycle();
    const [me, doc] = await Promise.all([api.me(), state.doc ?? api.document()]);
    Object.assign(state, { me, doc });
    await loadAll();
  } catch (err) {
    state.key = null;
    state.me = null;
    sessionStorage.removeItem(KEY_STORE);
    throw err;
  }
  sessionStorage.setItem(KEY_STORE, key);
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('sections').hidden = false;
  $('whoami').hidden = false;
  $('whoami').textContent = t('whoami', state.me.name, state.me.role);
  startStream();
  await route();
}

function signOut(message) {
  state.stream?.stop();
  state.stream = null;
  state.key = null;
  state.me = null;
  sessionStorage.removeItem(KEY_STORE);
  Object.assign(state, { cycle: null, provinces: [], alerts: [], claims: [], view: null });
  picker.clear();
  followCycle();
  alertNodes.clear();
  $('alerts-list').replaceChildren();
  $('claims-list').replaceChildren();
  provincePage?.hide();
  digestPage?.hide();
  provincePage = null;
  digestPage = null;
  $('province-view').replaceChildren();
  $('digest-view').replaceChildren();
  // The charts showed data read with the key: drop them with it.
  for (const id of ['timeline-chart', 'history-chart', 'workflow-chart']) {
    const img = $(id);
    if (img.dataset.blob) URL.revokeObjectURL(img.dataset.blob);
    img.removeAttribute('src');
    delete img.dataset.blob;
    img.hidden = true;
  }
  for (const id of ['board', 'province-view', 'digest-view', 'sign-out', 'sections', 'whoami']) $(id).hidden = true;
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
      error.textContent = t('signIn.empty');
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
      if (state.view === 'board') $('main').focus({ preventScroll: true });
    } catch (err) {
      error.textContent = err instanceof AuthError ? t('signIn.refused') : t('signIn.unreachable', err.message);
      error.hidden = false;
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  $('sign-out').addEventListener('click', () => signOut(null));
  $('lang-switch').addEventListener('click', () => setLang(currentLang() === 'ar' ? 'en' : 'ar'));
  $('filters').addEventListener('change', readFilters);
  // A reset event fires before the form's controls are reset.
  $('filters').addEventListener('reset', () => setTimeout(readFilters));
  $('retry-now').addEventListener('click', () => state.stream?.retryNow());
  $('history-province').addEventListener('change', () => void guard(loadHistory()));
  $('workflow').addEventListener('toggle', () => {
    if ($('workflow').open && $('workflow-chart').hidden) void guard(showChart($('workflow-chart'), 'machine', { format: 'svg' }));
  });
  window.addEventListener('hashchange', () => void route());
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
    provincePage?.tick();
  }, 60_000);
}

setLang(initialLang(), { remember: false });
showLangSwitch();
wire();
const saved = sessionStorage.getItem(KEY_STORE);
if (saved) {
  signIn(saved).catch((err) => {
    signOut(err instanceof AuthError ? t('signIn.savedRefused') : t('signIn.unreachable', err.message));
  });
} else {
  $('api-key').focus();
}
