// A province's page (#/provinces/<slug>, ?asOf=<instant>, /events/<seq> for an event's permalink):
// where it stands, its history (events, claim steps, calls; retractions struck through), its timeline,
// and the desk's work on it — record or retract an event, approve or reject a proposal, deny or
// confirm a claim, log a call — each offered only when the key's role may do it (the API's own
// `x-required-role`), each form built from the API's request schema.

import { ApiError, AuthError, NetworkError, StaleError, newIdempotencyKey } from './api.js';
import { SchemaForm, componentSchema, eventSchemas, fieldLabel, requestSchema } from './forms.js';
import { currentLang, formatDate, formatInstant, hasMessage, num, t, tIn, translateAll } from './i18n.js';
import { localDate, localInputValue, zonedInstant } from './time.js';
import { provinceHref } from './routes.js';
import { bilingual, countdownFor, deadlineDate, eventTypeLabel, h, people, stageBlock, stageLabel, statusBadge } from './view.js';

/** Only REPORTs may be internal (the API refuses the rest): the checkbox is offered with them alone. */
const INTERNAL_TYPES = ['REPORT'];
/** The event fields a claim's event leaves out (the API's rule for ClaimBodyDto.event). */
const NOT_IN_CLAIM_EVENT = ['occurredAt', 'occurredAtPrecision', 'source', 'confidence', 'note', 'internal'];

/** "Elect the governor · انتخاب المحافظ": an event type in the page's language, the other beside it. */
function bothNames(type) {
  const other = currentLang() === 'ar' ? 'en' : 'ar';
  const second = tIn(other, `event:${type}`);
  return second === `event:${type}` ? eventTypeLabel(type) : `${eventTypeLabel(type)} · ${second}`;
}

/**
 * A stored payload (or a proposal's body) in words, field by field, with the forms' labels; what editors
 * typed is isolated (<bdi>), so that a Latin sentence in an Arabic page keeps its own direction.
 */
export function payloadText(payload, { skip = ['type'] } = {}) {
  const parts = [];
  for (const [key, value] of Object.entries(payload ?? {})) {
    if (skip.includes(key) || value === null || value === undefined || value === '') continue;
    let shown;
    if (typeof value === 'object') {
      const inner = ['name', 'nameAr', 'title', 'bloc'].map((k) => value[k]).filter(Boolean);
      shown = inner.length ? inner.flatMap((v, i) => [i ? ' · ' : null, h('bdi', {}, v)]) : [JSON.stringify(value)];
    } else {
      const key2 = `enum:${key}:${value}`;
      shown = hasMessage(key2)
        ? [t(key2)]
        : /^\d{4}-\d{2}-\d{2}$/.test(String(value))
          ? [formatDate(String(value))]
          : typeof value === 'number'
            ? [num(value)]
            : [h('bdi', {}, String(value))];
    }
    parts.push(h('span', { class: 'payload__field' }, `${fieldLabel(key)}: `, ...shown));
  }
  return parts.flatMap((p, i) => (i ? [' · ', p] : [p]));
}

function sourceLink(source) {
  if (!source) return null;
  return source.url
    ? h('a', { href: source.url, rel: 'noopener noreferrer external', target: '_blank', class: 'source', dir: 'auto' }, source.name)
    : h('span', { class: 'source', dir: 'auto' }, source.name);
}

/**
 * The page. `ctx`: { api, doc(), me(), cycle(), timeZone(), may(name), announce(text), authFailed(), provinces() }.
 */
export function createProvincePage(root, ctx) {
  const state = {
    slug: null,
    asOf: null,
    seq: null,
    province: null,
    history: null,
    claims: [],
    proposals: [],
    error: null,
    loadToken: 0,
  };
  /** Inline forms open inside re-rendered lists (a retraction, a claim step, a rejection), kept across renders. */
  const inline = new Map();
  let eventForm = null;
  let contactForm = null;
  let claimForm = null;
  let chartUrl = null;

  // ---- the skeleton, built once ----
  const title = h('h2', { id: 'pp-title', tabindex: '-1' });
  const facts = h('div', { class: 'pp-facts' });
  const asOfInput = h('input', { id: 'pp-asof', type: 'datetime-local', step: '60' });
  const asOfForm = h(
    'form',
    { class: 'pp-asof', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'pp-asof', dataset: { t: 'pp.asOf' } }, t('pp.asOf')), asOfInput),
    h('button', { class: 'button', type: 'submit', dataset: { t: 'pp.asOfShow' } }, t('pp.asOfShow')),
    h('a', { class: 'button', id: 'pp-now', href: '#', dataset: { t: 'pp.asOfNow' } }, t('pp.asOfNow')),
    h('a', { class: 'pp-permalink', id: 'pp-permalink', href: '#', dataset: { t: 'pp.permalink' } }, t('pp.permalink')),
  );
  const asOfBanner = h('p', { class: 'banner banner--info', id: 'pp-asof-banner', hidden: true });
  const errorBanner = h('p', { class: 'banner banner--error', role: 'alert', hidden: true });
  const historyList = h('ol', { class: 'hist', id: 'pp-history-list' });
  const historyMore = h('p', { class: 'empty', hidden: true });
  const proposalsList = h('ul', { class: 'pp-list', id: 'pp-proposals-list' });
  const claimsList = h('ul', { class: 'pp-list', id: 'pp-claims-list' });
  const chartImg = h('img', { id: 'pp-chart', class: 'timeline__chart', alt: '', hidden: true });
  const recordSection = h('section', { class: 'panel pp-record', id: 'pp-record', 'aria-labelledby': 'ev-title', hidden: true });
  const proposalsSection = h(
    'section',
    { class: 'panel', id: 'pp-proposals', 'aria-labelledby': 'pp-proposals-title', hidden: true },
    h('h3', { id: 'pp-proposals-title', dataset: { t: 'pp.proposals' } }, t('pp.proposals')),
    proposalsList,
  );
  const claimsSection = h(
    'section',
    { class: 'panel', id: 'pp-claims', 'aria-labelledby': 'pp-claims-title', hidden: true },
    h('h3', { id: 'pp-claims-title', dataset: { t: 'pp.claims' } }, t('pp.claims')),
    claimsList,
  );
  const contactSection = h('section', { class: 'panel', id: 'pp-contact', 'aria-labelledby': 'contact-title', hidden: true });
  const newClaimSection = h('section', { class: 'panel', id: 'pp-new-claim', 'aria-labelledby': 'claim-title', hidden: true });

  root.replaceChildren(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/', dataset: { t: 'pp.back' } }, t('pp.back'))),
    errorBanner,
    h('section', { class: 'panel pp-head', 'aria-labelledby': 'pp-title' }, title, facts, asOfForm, asOfBanner),
    h(
      'div',
      { class: 'pp-columns' },
      h(
        'div',
        { class: 'pp-main' },
        recordSection,
        h(
          'section',
          { class: 'panel', id: 'pp-history', 'aria-labelledby': 'pp-history-title' },
          h('h3', { id: 'pp-history-title', dataset: { t: 'pp.history' } }, t('pp.history')),
          h('p', { class: 'alerts__note', dataset: { t: 'pp.historyNote' } }, t('pp.historyNote')),
          historyList,
          historyMore,
        ),
      ),
      h(
        'div',
        { class: 'pp-side' },
        proposalsSection,
        claimsSection,
        contactSection,
        newClaimSection,
        h(
          'section',
          { class: 'panel timeline', id: 'pp-timeline', 'aria-labelledby': 'pp-chart-title' },
          h('h3', { id: 'pp-chart-title', dataset: { t: 'pp.chart' } }, t('pp.chart')),
          // Focusable: the chart is wider than the column, and its frame scrolls.
          h('div', { class: 'timeline__frame', tabindex: '0', role: 'group', 'aria-labelledby': 'pp-chart-title' }, chartImg),
        ),
      ),
    ),
  );

  asOfForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const asOf = zonedInstant(asOfInput.value, ctx.timeZone());
    location.hash = provinceHref(state.slug, asOf ? { asOf } : {});
  });

  const p = () => state.province;
  const editable = () => !state.asOf && state.province !== null;

  // ---- loading ----

  async function load({ chart = true } = {}) {
    const token = (state.loadToken += 1);
    const { api } = ctx;
    try {
      const [province, history, claims, proposals] = await Promise.all([
        api.province(state.slug, { asOf: state.asOf ?? undefined }),
        ctx.may('history') ? api.history(state.slug) : Promise.resolve({ items: [] }),
        !state.asOf ? api.provinceClaims(state.slug, 'open') : Promise.resolve({ items: [] }),
        !state.asOf && ctx.may('proposals') ? api.proposals('pending') : Promise.resolve({ items: [] }),
      ]);
      if (token !== state.loadToken) return;
      Object.assign(state, { province, history: history.items, claims: claims.items, proposals: proposals.items.filter((x) => x.province === state.slug), error: null });
      render();
      eventForm?.provinceChanged();
      if (chart) void loadChart();
    } catch (err) {
      // Another cycle was picked meanwhile: the page is shown again for it.
      if (token !== state.loadToken || err instanceof StaleError) return;
      if (err instanceof AuthError) return ctx.authFailed();
      state.error = err instanceof ApiError && err.status === 404 ? t('pp.notFound') : t('pp.loadFailed', err.message);
      renderError();
    }
  }

  async function loadChart() {
    try {
      const blob = await ctx.api.chart('charts/timeline.svg', { province: state.slug, asOf: state.asOf ?? undefined });
      const url = URL.createObjectURL(blob);
      chartImg.src = url;
      chartImg.hidden = false;
      if (chartUrl) URL.revokeObjectURL(chartUrl);
      chartUrl = url;
    } catch (err) {
      if (err instanceof AuthError) ctx.authFailed();
    }
  }

  // ---- rendering ----

  function renderError() {
    errorBanner.textContent = state.error ?? '';
    errorBanner.hidden = !state.error;
  }

  function fact(label, ...value) {
    return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, ...value));
  }

  function renderFacts() {
    const province = p();
    if (!province) return;
    const tz = ctx.timeZone();
    title.replaceChildren(...bilingual(province.name, province.nameAr, { primaryClass: 'pp-title__name', secondClass: 'pp-title__second' }));
    const convened = province.convenedAt
      ? [convenedText(province, tz), province.chair ? ` · ${t('pp.chair', province.chair)}` : '']
      : [t('pp.notConvened')];
    facts.replaceChildren(
      h('p', { class: 'pp-status' }, statusBadge(province.deadlineStatus), h('span', { class: 'countdown', id: 'pp-countdown' }, countdownFor(province, new Date(), tz))),
      h(
        'dl',
        { class: 'facts' },
        fact(t('table.stage'), stageBlock(province.stage)),
        fact(t('table.tier'), province.tier ? h('span', { class: 'tier' }, t(`enum:tier:${province.tier}`)) : h('span', { class: 'muted' }, t('tier.none'))),
        fact(t('table.people'), people(province)),
        fact(t('pp.seats'), t('province.meta', province.seats, province.majority)),
        fact(t('table.deadline'), deadlineDate(province), province.deadlineBasis ? h('span', { class: 'province__meta', dir: 'auto' }, province.deadlineBasis) : null),
        fact(t('pp.convened'), ...convened),
        province.criteria ? fact(t('pp.criteria'), h('span', { dir: 'auto' }, province.criteria)) : null,
        province.decree ? fact(t('pp.decree'), payloadText(province.decree)) : null,
        fact(t('pp.versionLabel'), h('span', { id: 'pp-version' }, num(province.version))),
      ),
    );
    asOfInput.value = state.asOf ? localInputValue(state.asOf, tz) : '';
    asOfBanner.hidden = !state.asOf;
    if (state.asOf) asOfBanner.textContent = t('pp.asOfBanner', formatInstant(state.asOf, tz));
    asOfForm.querySelector('#pp-now').setAttribute('href', provinceHref(state.slug));
    asOfForm.querySelector('#pp-permalink').setAttribute('href', provinceHref(state.slug, { asOf: state.asOf ?? undefined }));
    chartImg.alt = t('pp.chartAlt', currentLang() === 'ar' ? province.nameAr : province.name);
  }

  const eventsOf = () => (state.history ?? []).filter((i) => i.kind === 'event').map((i) => i.event);

  /** When an event occurred, as a reader should see it: its day alone when its sources report only the day. */
  const occurredText = (e, tz) => (e.occurredAtPrecision === 'day' ? formatDate(localDate(new Date(e.occurredAt), tz)) : formatInstant(e.occurredAt, tz));

  /** When the council convened: the CONVENE event's own precision decides whether a time is shown. */
  function convenedText(province, tz) {
    const convening = eventsOf().find((e) => e.type === 'CONVENE' && !e.retracted && e.occurredAt === province.convenedAt);
    return convening ? occurredText(convening, tz) : formatInstant(province.convenedAt, tz);
  }

  function historyItem(item) {
    const tz = ctx.timeZone();
    // An event whose sources report only its day shows that day: the time it is stored at only orders it among the day's events.
    const dayOnly = item.kind === 'event' && item.event.occurredAtPrecision === 'day';
    const when = h('p', { class: 'hist__when' }, h('time', { datetime: dayOnly ? localDate(new Date(item.at), tz) : item.at }, dayOnly ? occurredText(item.event, tz) : formatInstant(item.at, tz)));
    if (item.kind === 'event') {
      const e = item.event;
      const strike = (node) => (e.retracted ? h('del', {}, node) : node);
      const meta = [
        e.fromStage !== e.toStage ? t('pp.stageMove', stageLabel(e.fromStage), stageLabel(e.toStage)) : null,
        dayOnly ? h('span', { class: 'flag' }, t('pp.timeNotReported')) : null,
        e.late ? h('span', { class: 'flag flag--late' }, t('pp.late')) : null,
        e.confidence === 'reported' ? h('span', { class: 'flag' }, t('pp.reported')) : null,
        e.internal ? h('span', { class: 'flag flag--internal' }, t('pp.internal')) : null,
        h('span', {}, `${t('pp.source')}: `, sourceLink(e.source)),
        t('pp.by', e.actor),
        e.approvedBy ? t('pp.approvedBy', e.approvedBy) : null,
        t('pp.recordedAt', formatInstant(e.recordedAt, tz)),
      ].filter(Boolean);
      const key = `retract-${e.seq}`;
      const canRetract = editable() && !e.retracted && ctx.may('retract');
      return h(
        'li',
        { class: `hist__item hist__item--event${e.retracted ? ' hist__item--retracted' : ''}${state.seq === e.seq ? ' is-target' : ''}`, id: `event-${e.seq}`, tabindex: '-1', dataset: { seq: String(e.seq), type: e.type } },
        when,
        h(
          'div',
          { class: 'hist__body' },
          h(
            'p',
            { class: 'hist__title' },
            strike(h('span', { class: 'hist__type' }, bothNames(e.type))),
            ' ',
            h('a', { class: 'hist__seq', href: provinceHref(state.slug, { seq: e.seq }), 'aria-label': t('pp.eventLinkLabel', e.seq) }, t('pp.eventLink', e.seq)),
          ),
          e.payload && Object.keys(e.payload).length > 0 ? h('p', { class: 'hist__what' }, strike(h('span', {}, payloadText(e.payload)))) : null,
          h('p', { class: 'hist__meta' }, meta.flatMap((m, i) => (i === 0 ? [m] : [' · ', m]))),
          e.note ? h('p', { class: 'hist__note' }, `${t('pp.note')}: `, h('bdi', {}, e.note)) : null,
          e.retracted ? h('p', { class: 'hist__retraction' }, t('pp.retracted', e.retractedBy, formatInstant(e.retractedAt, tz)), h('bdi', {}, e.retractionReason)) : null,
          canRetract
            ? inline.get(key) ??
                h('button', { type: 'button', class: 'button button--small', on: { click: () => openRetract(e) } }, t('pp.retract'), h('span', { class: 'visually-hidden' }, t('pp.retractWhich', e.seq)))
            : null,
        ),
      );
    }
    if (item.kind === 'claim') {
      const c = item.claim;
      return h(
        'li',
        { class: 'hist__item hist__item--claim', dataset: { claim: c.id } },
        when,
        h(
          'div',
          { class: 'hist__body' },
          h('p', { class: 'hist__title' }, t('pp.claimStep', t(`claimStatus:${item.step.to}`)), c.internal ? h('span', { class: 'flag flag--internal' }, t('pp.internal')) : null),
          h('p', { class: 'hist__what' }, h('bdi', {}, `“${c.text}”`)),
          h('p', { class: 'hist__meta' }, `${t('pp.source')}: `, sourceLink(item.step.source), ' · ', t('pp.by', item.step.actor)),
          item.step.note ? h('p', { class: 'hist__note' }, `${t('pp.note')}: `, h('bdi', {}, item.step.note)) : null,
        ),
      );
    }
    const c = item.contact;
    return h(
      'li',
      { class: 'hist__item hist__item--contact' },
      when,
      h(
        'div',
        { class: 'hist__body' },
        h('p', { class: 'hist__title' }, t('pp.contact', t(`enum:channel:${c.channel}`), c.official.name), c.official.title ? [' (', h('bdi', {}, c.official.title), ')'] : '', ': ', t(`enum:outcome:${c.outcome}`)),
        c.summary ? h('p', { class: 'hist__what' }, h('bdi', {}, c.summary)) : null,
        h('p', { class: 'hist__meta' }, t('pp.by', c.actor)),
      ),
    );
  }

  function renderHistory() {
    const items = state.history ?? [];
    const cut = state.asOf ? Date.parse(state.asOf) : Infinity;
    const shown = items.filter((i) => Date.parse(i.at) <= cut);
    historyList.replaceChildren(...(shown.length ? shown.map(historyItem) : [h('li', { class: 'empty' }, t('pp.historyEmpty'))]));
    historyMore.hidden = shown.length === items.length;
    historyMore.textContent = shown.length === items.length ? '' : t('pp.historyLater', items.length - shown.length);
  }

  function renderProposals() {
    proposalsSection.hidden = state.asOf !== null || !ctx.may('proposals') || state.proposals.length === 0;
    const me = ctx.me();
    proposalsList.replaceChildren(
      ...state.proposals.map((x) => {
        const mine = x.proposedBy === me.name;
        const key = `reject-${x.id}`;
        const what = x.type === 'RETRACT' ? t('pp.retractOf', x.event.seq) : bothNames(x.type);
        return h(
          'li',
          { class: 'pp-item', id: `proposal-${x.id}`, dataset: { proposal: x.id } },
          h('p', { class: 'hist__title' }, what),
          h('p', { class: 'hist__what' }, x.type === 'RETRACT' ? [`${fieldLabel('reason')}: `, h('bdi', {}, x.event.reason)] : payloadText(x.event, { skip: ['type', 'occurredAt', 'occurredAtPrecision', 'source', 'confidence', 'note'] })),
          h('p', { class: 'hist__meta' }, t('pp.proposedBy', x.proposedBy, formatInstant(x.createdAt, ctx.timeZone())), x.event.source ? [' · ', `${t('pp.source')}: `, sourceLink(x.event.source)] : null),
          mine ? h('p', { class: 'pp-waiting' }, t('pp.waiting')) : null,
          ctx.may('approve')
            ? inline.get(key) ??
                h(
                  'div',
                  { class: 'pp-actions' },
                  mine ? null : h('button', { type: 'button', class: 'button button--primary', on: { click: (e) => approve(x, e.currentTarget) } }, t('pp.approve')),
                  h('button', { type: 'button', class: 'button', on: { click: () => openReject(x, mine) } }, mine ? t('pp.withdraw') : t('pp.reject')),
                )
            : null,
        );
      }),
    );
  }

  function renderClaims() {
    claimsSection.hidden = state.asOf !== null || state.claims.length === 0;
    claimsList.replaceChildren(
      ...state.claims.map((c) => {
        const key = `step-${c.id}`;
        return h(
          'li',
          { class: `pp-item claim--${c.status}`, id: `pp-claim-${c.id}`, dataset: { claim: c.id } },
          h('p', { class: 'hist__title' }, c.status === 'denied' ? t('claims.unconfirmedDenied') : t('claims.unconfirmed')),
          h('p', { class: 'claim__text', dir: 'auto' }, `“${c.text}”`),
          h('p', { class: 'hist__meta' }, sourceLink(c.source), ', ', formatInstant(c.reportedAt, ctx.timeZone())),
          c.event ? h('p', { class: 'hist__meta' }, t('pp.claimEvent', bothNames(c.event.type)), ' — ', payloadText(c.event)) : null,
          ctx.may('claimStep')
            ? inline.get(key) ??
                h(
                  'div',
                  { class: 'pp-actions' },
                  c.status === 'reported' ? h('button', { type: 'button', class: 'button', on: { click: () => openStep(c, 'deny') } }, t('pp.deny')) : null,
                  h('button', { type: 'button', class: 'button', on: { click: () => openStep(c, 'confirm') } }, t('pp.confirm')),
                  c.event ? h('button', { type: 'button', class: 'button button--primary', on: { click: () => openStep(c, 'apply') } }, t('pp.confirmApply')) : null,
                )
            : null,
        );
      }),
    );
  }

  function render() {
    // A live notice redraws what the reader may be on: the element that had the focus gets it back.
    const focused = document.activeElement?.id || null;
    renderError();
    if (!p()) return;
    renderFacts();
    renderHistory();
    renderProposals();
    renderClaims();
    renderForms();
    if (focused && document.activeElement?.id !== focused) document.getElementById(focused)?.focus({ preventScroll: true });
  }

  // ---- shared handling of an answer ----

  /** A refusal in plain words, from the problem's code and what was sent. */
  function refusal(err, body = {}) {
    if (err instanceof NetworkError) return t('err.network');
    if (!(err instanceof ApiError)) return t('err.other', err.message);
    const pr = err.problem ?? {};
    const province = p();
    switch (err.code) {
      case 'precondition-failed':
        return t('err.stale');
      case 'forbidden':
        return t('err.forbidden', ctx.me().role);
      case 'guard-failed': {
        const nominees = (province?.nominees ?? []).map((n) => n.name).join(', ');
        const values = {
          votes: body.votes,
          present: body.present,
          seats: province?.seats,
          majority: province?.majority,
          name: body.governor ?? body.candidate?.name ?? body.candidate ?? '',
          nominees,
          at: province?.convenedAt ? convenedText(province, ctx.timeZone()) : null,
        };
        const key = `guard:${pr.reason}`;
        return hasMessage(key) ? t(key, values) : t('err.other', err.message);
      }
      case 'invalid-transition':
        return t('err.invalidTransition', bothNames(body.type ?? ''), stageLabel(pr.stage), (pr.allowedEvents ?? []).map(eventTypeLabel).join(', '));
      case 'history-conflict': {
        const broken = eventsOf().find((e) => e.seq === pr.conflictingSeq);
        const name = broken ? t('err.brokenEvent', broken.seq, eventTypeLabel(broken.type), occurredText(broken, ctx.timeZone())) : t('pp.eventLink', pr.conflictingSeq);
        return t('err.historyConflict', pr.detail ?? err.message, name);
      }
      case 'already-retracted':
        return t('err.alreadyRetracted');
      case 'idempotency-in-flight':
        return t('err.inFlight');
      case 'self-approval':
        return t('err.selfApproval');
      case 'proposal-stale':
        return t('err.proposalStale');
      case 'proposal-not-pending':
        return t('err.notPending', t(`proposalStatus:${pr.proposalStatus}`));
      case 'approval-required':
        return t('err.approvalRequired');
      case 'invalid-claim-transition':
        return t('err.claimMove', t(`claimStatus:${pr.claimStatus}`), (pr.allowedMoves ?? []).join(', '));
      case 'not-found':
        return t('err.notFound');
      case 'rate-limited':
        return t('err.rateLimited');
      case 'database-unavailable':
        return t('err.unavailable');
      default:
        return t('err.other', err.message);
    }
  }

  /**
   * One form's submission, shared by every form on the page: blocks a second submission while one is
   * out (a double click sends one request), keeps one Idempotency-Key per submission (the same one only
   * to retry after no answer), shows refusals on the form, and marks the fields the API names.
   */
  function submitter({ form, button, problem, status, fields: fieldsOf, send, done, busyText = t('pp.submitting') }) {
    let busy = false;
    let retry = null;
    return async (body) => {
      if (busy) return;
      const fields = typeof fieldsOf === 'function' ? fieldsOf() : fieldsOf;
      busy = true;
      const label = button.textContent;
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      button.textContent = busyText;
      problem.hidden = true;
      problem.replaceChildren();
      const fingerprint = JSON.stringify(body);
      const key = retry?.fingerprint === fingerprint ? retry.key : newIdempotencyKey();
      try {
        const answer = await send(body, key);
        retry = null;
        fields?.clearErrors();
        await done(answer, body);
      } catch (err) {
        if (err instanceof AuthError) return ctx.authFailed();
        retry = err instanceof NetworkError ? { fingerprint, key } : null;
        let message = refusal(err, body);
        if (err instanceof ApiError && err.code === 'validation' && Array.isArray(err.problem?.errors)) {
          const mapped = err.problem.errors.map((e) => ({ field: e.field, message: t('form.invalid', fieldLabel(e.field), e.message) }));
          const left = fields ? fields.showErrors(mapped) : mapped;
          message = [t('form.fix', mapped.length), ...left.map((e) => e.message)].join(' ');
        } else if (err instanceof ApiError && err.code === 'guard-failed' && fields) {
          const field = { 'majority-not-reached': 'votes', 'votes-exceed-present': 'votes', 'present-exceeds-seats': 'present', 'not-a-nominee': body.governor ? 'governor' : 'candidate' }[err.problem?.reason];
          if (field) fields.showErrors([{ field, message }]);
        }
        problem.append(h('span', {}, message));
        if (err instanceof ApiError && err.code === 'precondition-failed') {
          problem.append(' ', h('button', { type: 'button', class: 'button button--small', on: { click: () => reloadFor(form) } }, t('pp.reload')));
        }
        problem.hidden = false;
        if (status) status.textContent = '';
      } finally {
        busy = false;
        button.disabled = false;
        button.removeAttribute('aria-busy');
        button.textContent = label;
      }
    };
  }

  async function reloadFor(form) {
    await load();
    const version = p()?.version;
    form.rebase?.(version);
    form.status.textContent = t('pp.reloaded', num(version));
    form.problem.hidden = true;
  }

  /** The parts every desk form has: a status line, a problem box, a submit button. */
  function formShell(id, titleKey, submitKey, { note } = {}) {
    const status = h('p', { class: 'form-status', role: 'status', id: `${id}-status` });
    const problem = h('div', { class: 'form-error', role: 'alert', id: `${id}-problem`, hidden: true });
    const button = h('button', { type: 'submit', class: 'button button--primary', id: `${id}-submit`, dataset: { t: submitKey } }, t(submitKey));
    const slot = h('div', { class: 'form-slot' });
    const form = h('form', { class: 'desk-form', id: `${id}-form`, novalidate: true, 'aria-labelledby': `${id}-title` }, slot, problem, h('div', { class: 'form-actions' }, button), status);
    const heading = h('h3', { id: `${id}-title`, dataset: { t: titleKey } }, t(titleKey));
    return { form, slot, status, problem, button, heading, note: note ? h('p', { class: 'alerts__note', dataset: { t: note } }, t(note)) : null };
  }

  // ---- record an event ----

  function buildEventForm() {
    const shell = formShell('ev', 'pp.record', 'pp.submitEvent', { note: 'pp.recordNote' });
    const schemas = eventSchemas(ctx.doc());
    const typeSelect = h('select', { id: 'ev-type', name: 'type', required: true, 'aria-required': 'true' });
    const hint = h('p', { class: 'field__hint', id: 'ev-hint' });
    const changed = h('p', { class: 'banner banner--info', id: 'ev-changed', role: 'status', hidden: true });
    const backdate = h('div', { class: 'backdate', id: 'ev-backdate', role: 'alertdialog', 'aria-labelledby': 'ev-backdate-text', hidden: true });
    const fieldsSlot = h('div', { class: 'ev-fields' });
    shell.slot.append(
      h('div', { class: 'field field--type' }, h('label', { for: 'ev-type', dataset: { t: 'pp.eventChoice' } }, t('pp.eventChoice')), typeSelect),
      changed,
      fieldsSlot,
      hint,
      backdate,
    );
    const self = {
      ...shell,
      fields: null,
      type: '',
      base: null,
      confirmedBackdate: null,
      rebase(version) {
        self.base = version;
        changed.hidden = true;
      },
      provinceChanged() {
        renderTypeOptions();
        const province = p();
        if (!province) return;
        if (self.base === null || !self.fields?.dirty) self.rebase(province.version);
        else if (province.version !== self.base) {
          changed.textContent = t('pp.changedWhileWriting', province.version);
          changed.hidden = false;
        }
        if (self.type && !province.allowedEvents.includes(self.type)) {
          changed.textContent = t('pp.notAllowedNow', eventTypeLabel(self.type), stageLabel(province.stage));
          changed.hidden = false;
        }
        updateHint();
      },
    };

    function renderTypeOptions() {
      const allowed = (p()?.allowedEvents ?? []).filter((type) => schemas.has(type));
      const offered = self.type && !allowed.includes(self.type) ? [...allowed, self.type] : allowed;
      typeSelect.replaceChildren(h('option', { value: '' }, t('form.choose')), ...offered.map((type) => h('option', { value: type, ...(type === self.type ? { selected: true } : {}) }, bothNames(type))));
      typeSelect.disabled = allowed.length === 0 && !self.type;
      shell.button.disabled = allowed.length === 0 && !self.type;
      if (allowed.length === 0 && !self.type) {
        hint.textContent = t('pp.noEvents');
      }
    }

    function updateHint() {
      const province = p();
      if (!province) return;
      const parts = [];
      if (['APPOINT', 'WITHDRAW'].includes(self.type)) parts.push(t('form.nominees', province.nominees.map((n) => (n.nameAr ? `${n.name} (${n.nameAr})` : n.name)).join(', ') || '—'));
      if (self.type === 'APPOINT') parts.push(t('form.majorityHint', province.seats, province.majority));
      hint.textContent = parts.join(' ');
      hint.hidden = parts.length === 0;
    }

    function selectType(type) {
      const previous = self.fields?.snapshot() ?? {};
      self.type = type;
      self.confirmedBackdate = null;
      backdate.hidden = true;
      shell.problem.hidden = true;
      if (!type) {
        self.fields = null;
        fieldsSlot.replaceChildren();
        updateHint();
        return;
      }
      const nominees = (p()?.nominees ?? []).map((n) => n.name);
      self.fields = new SchemaForm(ctx.doc(), schemas.get(type), {
        omit: ['type', ...(INTERNAL_TYPES.includes(type) ? [] : ['internal'])],
        // The desk's rule beyond the API's: every recorded fact links to its source.
        require: ['source.url'],
        choices: { governor: nominees, ...(type === 'WITHDRAW' ? { candidate: nominees } : {}) },
        timeZone: ctx.timeZone(),
        idPrefix: 'ev',
      });
      self.fields.fill(previous);
      self.fields.onInput(() => {
        self.confirmedBackdate = null;
        backdate.hidden = true;
      });
      fieldsSlot.replaceChildren(self.fields.element);
      if (self.base === null) self.base = p()?.version ?? null;
      updateHint();
    }

    typeSelect.addEventListener('change', () => selectType(typeSelect.value));

    const submit = submitter({
      form: self,
      button: shell.button,
      problem: shell.problem,
      status: shell.status,
      fields: () => self.fields,
      send: (body, idempotencyKey) => ctx.api.appendEvent(state.slug, body, { version: self.base, idempotencyKey }),
      done: async (answer, body) => {
        const province = answer.body.province;
        // A fresh, empty form for the next event; the province is read again (the stream would bring it too).
        self.fields = null;
        self.type = '';
        fieldsSlot.replaceChildren();
        self.base = province?.version ?? null;
        await load();
        shell.status.textContent =
          answer.status === 202
            ? t('pp.proposed', eventTypeLabel(body.type))
            : t('pp.recorded', eventTypeLabel(body.type), num(answer.body.event.seq), occurredText(answer.body.event, ctx.timeZone()));
        ctx.announce(shell.status.textContent);
        typeSelect.focus();
      },
    });

    shell.form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!self.type) {
        shell.problem.replaceChildren(t('form.missing', t('pp.eventChoice')));
        shell.problem.hidden = false;
        typeSelect.focus();
        return;
      }
      const { body, errors } = self.fields.read();
      body.type = self.type;
      if (errors.length > 0) {
        const left = self.fields.showErrors(errors);
        shell.problem.replaceChildren([t('form.fix', errors.length), ...left.map((e) => e.message)].join(' '));
        shell.problem.hidden = false;
        return;
      }
      self.fields.clearErrors();
      // A backdated event goes before later ones, and the history is replayed: say so before sending.
      const fingerprint = JSON.stringify(body);
      const later = body.occurredAt ? eventsOf().filter((e) => !e.retracted && Date.parse(e.occurredAt) > Date.parse(body.occurredAt)) : [];
      if (later.length > 0 && self.confirmedBackdate !== fingerprint) {
        const tz = ctx.timeZone();
        const list = later.map((e) => `${eventTypeLabel(e.type)}, ${occurredText(e, tz)}`).join('; ');
        backdate.replaceChildren(
          h('p', { id: 'ev-backdate-text' }, t('pp.backdated', later.length, list)),
          h(
            'div',
            { class: 'pp-actions' },
            h('button', {
              type: 'button',
              class: 'button button--primary',
              id: 'ev-backdate-confirm',
              on: {
                click: () => {
                  self.confirmedBackdate = fingerprint;
                  backdate.hidden = true;
                  void submit(body);
                },
              },
            }, t('pp.backdatedConfirm')),
            h('button', { type: 'button', class: 'button', on: { click: () => { backdate.hidden = true; self.fields.fields.get('occurredAt')?.input.focus(); } } }, t('pp.backdatedCancel')),
          ),
        );
        backdate.hidden = false;
        backdate.querySelector('#ev-backdate-confirm').focus();
        return;
      }
      void submit(body);
    });

    recordSection.replaceChildren(shell.heading, shell.note, shell.form);
    renderTypeOptions();
    return self;
  }

  // ---- retract an event ----

  function openRetract(e) {
    const key = `retract-${e.seq}`;
    const schema = requestSchema(ctx.doc(), 'retract');
    const fields = new SchemaForm(ctx.doc(), schema, { idPrefix: `retract${e.seq}` });
    const shell = formShell(`retract-${e.seq}`, 'pp.retractOf', 'pp.retractSubmit');
    shell.heading = h('h4', { id: `retract-${e.seq}-title` }, t('pp.retractOf', e.seq));
    shell.button.textContent = t('pp.retractSubmit', e.seq);
    delete shell.button.dataset.t;
    let version = p().version;
    const close = () => {
      inline.delete(key);
      renderHistory();
      document.querySelector(`#event-${e.seq} button`)?.focus();
    };
    shell.slot.append(fields.element);
    shell.form.append(h('button', { type: 'button', class: 'button', on: { click: close } }, t('pp.cancel')));
    const submit = submitter({
      form: { rebase: (v) => (version = v), status: shell.status, problem: shell.problem },
      button: shell.button,
      problem: shell.problem,
      status: shell.status,
      fields,
      send: (body, idempotencyKey) => ctx.api.retract(state.slug, e.seq, body.reason, { version, idempotencyKey }),
      done: async (answer) => {
        inline.delete(key);
        ctx.announce(answer.status === 202 ? t('pp.retractProposed', e.seq) : t('pp.retracted.ok', e.seq));
        await load();
        document.getElementById(`event-${e.seq}`)?.focus();
      },
    });
    shell.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const { body, errors } = fields.read();
      if (errors.length) return void fields.showErrors(errors);
      void submit(body);
    });
    const box = h('div', { class: 'inline-form', id: `retract-${e.seq}` }, shell.heading, shell.form);
    inline.set(key, box);
    renderHistory();
    fields.element.querySelector('textarea, input')?.focus();
  }

  // ---- proposals ----

  async function approve(x, button) {
    button.disabled = true;
    try {
      await ctx.api.approve(x.id);
      ctx.announce(t('pp.approved', eventTypeLabel(x.type)));
      await load();
    } catch (err) {
      if (err instanceof AuthError) return ctx.authFailed();
      button.disabled = false;
      const li = document.getElementById(`proposal-${x.id}`);
      li?.querySelector('.form-error')?.remove();
      li?.append(h('p', { class: 'form-error', role: 'alert' }, refusal(err)));
      if (err instanceof ApiError && ['proposal-stale', 'proposal-not-pending'].includes(err.code)) void load();
    }
  }

  function openReject(x, mine) {
    const key = `reject-${x.id}`;
    const fields = new SchemaForm(ctx.doc(), requestSchema(ctx.doc(), 'reject'), { idPrefix: `reject` });
    const labelEl = fields.element.querySelector('label span');
    if (labelEl) {
      labelEl.textContent = t('pp.rejectReason');
      labelEl.dataset.t = 'pp.rejectReason';
    }
    const submitKey = mine ? 'pp.confirmWithdraw' : 'pp.confirmReject';
    const shell = formShell(`reject-${x.id}`, mine ? 'pp.withdraw' : 'pp.reject', submitKey);
    const close = () => {
      inline.delete(key);
      renderProposals();
    };
    shell.slot.append(fields.element);
    shell.form.append(h('button', { type: 'button', class: 'button', on: { click: close } }, t('pp.cancel')));
    const submit = submitter({
      form: { status: shell.status, problem: shell.problem },
      button: shell.button,
      problem: shell.problem,
      status: shell.status,
      fields,
      send: (body) => ctx.api.reject(x.id, body.reason),
      done: async () => {
        inline.delete(key);
        ctx.announce(mine ? t('pp.withdrawn') : t('pp.rejected'));
        await load();
      },
    });
    shell.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const { body, errors } = fields.read();
      if (errors.length) return void fields.showErrors(errors);
      void submit(body);
    });
    inline.set(key, h('div', { class: 'inline-form' }, shell.form));
    renderProposals();
    fields.element.querySelector('textarea, input')?.focus();
  }

  // ---- claims ----

  function openStep(c, move) {
    const key = `step-${c.id}`;
    const schema = componentSchema(ctx.doc(), move === 'deny' ? 'ClaimStepBodyDto' : 'ClaimConfirmBodyDto');
    const fields = new SchemaForm(ctx.doc(), schema, {
      omit: ['apply'],
      // Confirming with apply records an event: it links to its source like every event.
      require: move === 'apply' ? ['source.url'] : [],
      timeZone: ctx.timeZone(),
      idPrefix: `step${move}`,
    });
    const titleKey = { deny: 'pp.stepDeny', confirm: 'pp.stepConfirm', apply: 'pp.stepConfirmApply' }[move];
    const submitKey = { deny: 'pp.deny', confirm: 'pp.confirm', apply: 'pp.confirmApply' }[move];
    const shell = formShell(`step-${c.id}`, titleKey, submitKey);
    shell.heading = h('h4', { id: `step-${c.id}-title` }, t(titleKey, c.text));
    const close = () => {
      inline.delete(key);
      renderClaims();
    };
    shell.slot.append(fields.element);
    shell.form.append(h('button', { type: 'button', class: 'button', on: { click: close } }, t('pp.cancel')));
    const submit = submitter({
      form: { status: shell.status, problem: shell.problem },
      button: shell.button,
      problem: shell.problem,
      status: shell.status,
      fields,
      send: (body, idempotencyKey) => ctx.api.claimStep(state.slug, c.id, move === 'apply' ? 'confirm' : move, move === 'apply' ? { ...body, apply: true } : body, { idempotencyKey }),
      done: async (answer) => {
        inline.delete(key);
        const seq = answer.body?.applied?.event?.seq;
        ctx.announce(seq ? t('pp.stepDoneApplied', seq) : t(move === 'deny' ? 'pp.stepDone:deny' : 'pp.stepDone:confirm'));
        await load();
      },
    });
    shell.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const { body, errors } = fields.read();
      if (errors.length) return void fields.showErrors(errors);
      void submit(body);
    });
    inline.set(key, h('div', { class: 'inline-form' }, shell.heading, shell.form));
    renderClaims();
    fields.element.querySelector('input, textarea')?.focus();
  }

  /** The claim's machine event: a type (or none) and that type's own fields. */
  function claimEventField({ id, path, label }) {
    const schemas = eventSchemas(ctx.doc());
    const select = h('select', { id }, h('option', { value: '' }, t('pp.claimEventNone')), [...schemas.keys()].map((type) => h('option', { value: type }, bothNames(type))));
    const slot = h('div', { class: 'claim-event__fields' });
    let inner = null;
    select.addEventListener('change', () => {
      inner = select.value
        ? new SchemaForm(ctx.doc(), schemas.get(select.value), { omit: ['type', ...NOT_IN_CLAIM_EVENT], timeZone: ctx.timeZone(), idPrefix: 'ce' })
        : null;
      slot.replaceChildren(inner?.element ?? '');
    });
    const element = h('fieldset', { class: 'fieldset claim-event' }, h('legend', { dataset: { t: `field:${path}` } }, label), h('div', { class: 'field' }, h('label', { for: id, dataset: { t: 'pp.eventChoice' } }, t('pp.eventChoice')), select), slot);
    return {
      element,
      read() {
        if (!inner) return { value: undefined };
        const { body, errors } = inner.read();
        return { value: { type: select.value, ...body }, errors: errors.map((e) => ({ ...e, field: `event.${e.field}` })) };
      },
      showError(e) {
        if (!inner || !e.field.startsWith('event.')) return false;
        return inner.showErrors([{ ...e, field: e.field.slice(6) }]).length === 0;
      },
      clearErrors: () => inner?.clearErrors(),
    };
  }

  /**
   * A form that stays open for the next entry once one is recorded (a claim, a call): `make` gives fresh
   * fields, `send` posts them, `doneKey` names what the status line then says.
   */
  function standingForm(section, id, { titleKey, submitKey, note, make, send, doneKey }) {
    const shell = formShell(id, titleKey, submitKey, { note });
    let fields = make();
    shell.slot.append(fields.element);
    const submit = submitter({
      form: { status: shell.status, problem: shell.problem },
      button: shell.button,
      problem: shell.problem,
      status: shell.status,
      fields: () => fields,
      send,
      done: async () => {
        fields = make();
        shell.slot.replaceChildren(fields.element);
        await load();
        shell.status.textContent = t(doneKey);
        ctx.announce(shell.status.textContent);
      },
    });
    shell.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const { body, errors } = fields.read();
      if (errors.length) return void fields.showErrors(errors);
      void submit(body);
    });
    section.replaceChildren(h('details', { class: 'pp-disclosure', id: `${id}-details` }, h('summary', { id: `${id}-title`, dataset: { t: titleKey } }, t(titleKey)), shell.note, shell.form));
    return { shell };
  }

  function buildClaimForm() {
    return standingForm(newClaimSection, 'claim', {
      titleKey: 'pp.newClaim',
      submitKey: 'pp.newClaim',
      make: () => new SchemaForm(ctx.doc(), requestSchema(ctx.doc(), 'createClaim'), { timeZone: ctx.timeZone(), idPrefix: 'claim', custom: { event: claimEventField } }),
      send: (body, idempotencyKey) => ctx.api.createClaim(state.slug, body, { idempotencyKey }),
      doneKey: 'pp.claimRecorded',
    });
  }

  function buildContactForm() {
    return standingForm(contactSection, 'contact', {
      titleKey: 'pp.contactTitle',
      submitKey: 'pp.logContact',
      note: 'pp.contactNote',
      make: () => new SchemaForm(ctx.doc(), requestSchema(ctx.doc(), 'logContact'), { timeZone: ctx.timeZone(), idPrefix: 'contact' }),
      send: (body) => ctx.api.logContact(state.slug, body),
      doneKey: 'pp.contactLogged',
    });
  }

  /** The forms exist only while the key may use them and the page shows the present. */
  function renderForms() {
    const present = editable();
    recordSection.hidden = !(present && ctx.may('appendEvent'));
    if (!recordSection.hidden && !eventForm) eventForm = buildEventForm();
    contactSection.hidden = !(present && ctx.may('logContact'));
    if (!contactSection.hidden && !contactForm) contactForm = buildContactForm();
    newClaimSection.hidden = !(present && ctx.may('createClaim'));
    if (!newClaimSection.hidden && !claimForm) claimForm = buildClaimForm();
  }

  function reset() {
    inline.clear();
    eventForm = null;
    contactForm = null;
    claimForm = null;
    recordSection.replaceChildren();
    contactSection.replaceChildren();
    newClaimSection.replaceChildren();
    Object.assign(state, { province: null, history: null, claims: [], proposals: [], error: null });
    title.textContent = '';
    facts.replaceChildren();
    historyList.replaceChildren();
    chartImg.hidden = true;
    chartImg.removeAttribute('src');
    if (chartUrl) URL.revokeObjectURL(chartUrl);
    chartUrl = null;
  }

  return {
    /** Show a route: { slug, asOf, seq }; a different province or instant starts over. */
    async show(route) {
      const same = route.slug === state.slug && (route.asOf ?? null) === state.asOf;
      if (!same) {
        reset();
        Object.assign(state, { slug: route.slug, asOf: route.asOf ?? null });
      }
      state.seq = route.seq ?? null;
      if (!same || !p()) await load();
      else render();
      if (state.seq) {
        const target = document.getElementById(`event-${state.seq}`);
        target?.scrollIntoView({ block: 'center' });
        target?.focus({ preventScroll: true });
      } else {
        title.focus({ preventScroll: !same });
      }
    },
    hide() {
      state.slug = null;
      reset();
    },
    get slug() {
      return state.slug;
    },
    /** A stream notice: reload what it touches, if it is about this province. */
    onNotice(type, data) {
      if (!state.slug) return;
      const slug =
        data.province?.slug ?? data.claim?.province ?? data.proposal?.province ?? data.contact?.province ?? data.alert?.province ?? (data.cycle ? state.slug : null);
      if (slug !== state.slug) return;
      void load({ chart: type === 'province.changed' });
      if (type === 'province.changed') ctx.announce(t('pp.liveChanged', currentLang() === 'ar' ? p()?.nameAr : p()?.name));
    },
    /** The language changed: draw again what is drawn from data; the forms relabel themselves (data-t). */
    relabel() {
      if (!state.slug) return;
      render();
      translateAll(root);
      eventForm?.provinceChanged();
      for (const form of root.querySelectorAll('.fields')) form.schemaForm?.relabel();
    },
    /** The countdown, once a minute. */
    tick() {
      const el = document.getElementById('pp-countdown');
      if (el && p()) el.textContent = countdownFor(p(), new Date(), ctx.timeZone());
    },
  };
}
