// The digest page (#/digest?date=YYYY-MM-DD&lang=en|ar): a day in Baghdad as GET /digest tells it, in
// either language whatever the interface's, and the same day as Markdown, copied in one press.

import { AuthError, StaleError } from './api.js';
import { arabicLongDate, currentLang, englishLongDate, formatInstant, tIn, translateAll } from './i18n.js';
import { localDate } from './time.js';
import { digestHref, provinceHref } from './routes.js';
import { h } from './view.js';

/** Write text to the clipboard; where the async API is refused, through a selected textarea. */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h('textarea', { class: 'visually-hidden', 'aria-hidden': 'true', tabindex: '-1' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** `ctx`: { api, timeZone(), provinces(), authFailed(), announce(text) }. */
export function createDigestPage(root, ctx) {
  const dateInput = h('input', { id: 'dg-date', type: 'date', required: true });
  const langSelect = h('select', { id: 'dg-lang' }, h('option', { value: 'en', lang: 'en' }, 'English'), h('option', { value: 'ar', lang: 'ar' }, 'العربية'));
  const copyButton = h('button', { type: 'button', class: 'button', id: 'dg-copy', dataset: { t: 'dg.copy' } });
  const status = h('p', { class: 'form-status', id: 'dg-status', role: 'status' });
  const body = h('article', { class: 'digest__body', id: 'dg-body' });
  const markdown = h('pre', { class: 'digest__md', id: 'dg-md', dir: 'auto', tabindex: '0' });
  const title = h('h2', { id: 'dg-title', tabindex: '-1', dataset: { t: 'dg.title' } });
  const form = h(
    'form',
    { class: 'digest__controls', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'dg-date', dataset: { t: 'dg.date' } }), dateInput),
    h('div', { class: 'field' }, h('label', { for: 'dg-lang', dataset: { t: 'dg.lang' } }), langSelect),
    h('button', { type: 'submit', class: 'button button--primary', dataset: { t: 'dg.show' } }),
    copyButton,
  );
  root.replaceChildren(
    h(
      'section',
      { class: 'panel digest', 'aria-labelledby': 'dg-title' },
      title,
      form,
      status,
      body,
      h('details', { class: 'digest__markdown' }, h('summary', { dataset: { t: 'dg.markdown' } }), markdown),
    ),
  );

  translateAll(root);
  let current = { date: null, lang: null, md: null };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = digestHref({ date: dateInput.value, lang: langSelect.value });
  });

  copyButton.addEventListener('click', async () => {
    const lang = current.lang;
    try {
      current.md ??= await ctx.api.digest({ date: current.date, lang, format: 'md' });
      markdown.textContent = current.md;
      const ok = await copyText(current.md);
      status.textContent = tIn(currentLang(), ok ? 'dg.copied' : 'dg.copyFailed');
    } catch (err) {
      if (err instanceof StaleError) return;
      if (err instanceof AuthError) return ctx.authFailed();
      status.textContent = tIn(currentLang(), 'dg.failed', err.message);
    }
  });

  /** The digest's own words are in its language (L), which may differ from the page's. */
  function render(d, L) {
    const T = (key, ...args) => tIn(L, key, ...args);
    const tz = d.timezone;
    const bySlug = new Map(ctx.provinces().map((p) => [p.slug, p]));
    const name = (slug) => {
      const p = bySlug.get(slug);
      const text = p ? (L === 'ar' ? p.nameAr : p.name) : slug;
      return h('a', { href: provinceHref(slug) }, text);
    };
    const at = (instant, label) => h('time', { datetime: instant }, label ?? formatInstant(instant, tz, L));
    // A day-precision event is of the digest's day: its time was never reported, so none is shown (as in the Markdown).
    const occurred = (x) =>
      x.occurredAtPrecision === 'day' ? h('time', { datetime: localDate(new Date(x.occurredAt), tz) }, T('dg.timeNotReported')) : at(x.occurredAt, x.occurredAtLabel);
    const section = (key, items) =>
      h('section', { class: 'digest__section' }, h('h3', {}, T(key)), items.length ? h('ul', { class: 'digest__list' }, items) : h('p', { class: 'empty' }, T('dg.none')));
    const source = (s) => (s ? (s.url ? h('a', { href: s.url, rel: 'noopener noreferrer external', target: '_blank' }, s.name) : s.name) : '');
    const claimGroups = Object.entries(d.claims ?? {}).filter(([, items]) => items.length > 0);
    body.setAttribute('lang', L);
    body.setAttribute('dir', L === 'ar' ? 'rtl' : 'ltr');
    const parts = [
      h('h3', { class: 'digest__date' }, L === 'ar' ? (d.dateLabel ?? arabicLongDate(d.date)) : englishLongDate(d.date), d.dateHijri ? ` · ${d.dateHijri}` : ''),
      h('ul', { class: 'digest__headline' }, d.headline.map((line) => h('li', {}, line))),
      section(
        'dg.alerts',
        d.alerts.map((a) => h('li', { class: `digest__alert digest__alert--${a.kind}` }, name(a.province), ' — ', T(`alertKind:${a.kind}`), ' · ', at(a.openedAt, a.openedAtLabel), a.new ? [' · ', h('strong', {}, T('dg.new'))] : null)),
      ),
      section(
        'dg.changes',
        d.changes.map((c) =>
          h('li', {}, occurred(c), ' — ', name(c.province), ': ', h('span', { dir: 'auto' }, c.summary), ' (', source(c.source), ')', c.late ? [' · ', h('strong', {}, T('dg.late'))] : null),
        ),
      ),
      section('dg.corrections', d.corrections.map((c) => h('li', {}, name(c.province), ': ', h('span', { dir: 'auto' }, T('dg.retractedBecause', T(`event:${c.type}`), c.seq, c.reason))))),
      section('dg.reports', d.reports.map((r) => h('li', {}, occurred(r), ' — ', name(r.province), ' · ', T(`enum:kind:${r.kind}`), ': ', h('span', { dir: 'auto' }, r.text), ' (', source(r.source), ')'))),
      claimGroups.length
        ? h(
            'section',
            { class: 'digest__section' },
            h('h3', {}, T('dg.claims')),
            claimGroups.map(([group, items]) =>
              h('div', {}, h('h4', {}, T(`dg.claimGroup:${group}`)), h('ul', { class: 'digest__list' }, items.map((c) => h('li', {}, name(c.province), ': ', h('span', { dir: 'auto' }, `“${c.text}”`), ' (', source(c.source), ', ', at(c.at, c.atLabel), ')')))),
            ),
          )
        : null,
      h(
        'section',
        { class: 'digest__section' },
        h('h3', {}, T('dg.provinces')),
        h(
          'table',
          { class: 'digest__table' },
          h('thead', {}, h('tr', {}, ['table.province', 'table.stage', 'table.tier', 'people.governor', 'table.status'].map((k) => h('th', { scope: 'col' }, T(k))))),
          h(
            'tbody',
            {},
            d.provinces.map((p) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, name(p.slug)),
                h('td', {}, T(`stage:${p.stage}`)),
                h('td', {}, p.tier ? T(`tier:${p.tier}`) : '—'),
                h('td', { dir: 'auto' }, p.governor ? (L === 'ar' && p.governor.nameAr) || p.governor.name : '—'),
                h('td', {}, T(`status:${p.deadlineStatus}`)),
              ),
            ),
          ),
        ),
      ),
    ];
    body.replaceChildren(...parts.filter(Boolean));
  }

  return {
    async show(route) {
      const L = route.lang === 'ar' || route.lang === 'en' ? route.lang : currentLang();
      const date = /^\d{4}-\d{2}-\d{2}$/.test(route.date ?? '') ? route.date : localDate(new Date(), ctx.timeZone());
      dateInput.value = date;
      langSelect.value = L;
      title.focus({ preventScroll: true });
      if (current.date === date && current.lang === L && body.childElementCount > 0) return;
      current = { date, lang: L, md: null };
      status.textContent = tIn(currentLang(), 'dg.loading');
      markdown.textContent = '';
      body.replaceChildren();
      try {
        const [json, md] = await Promise.all([ctx.api.digest({ date, lang: L }), ctx.api.digest({ date, lang: L, format: 'md' })]);
        if (current.date !== date || current.lang !== L) return;
        current.md = md;
        markdown.textContent = md;
        render(json, L);
        status.textContent = '';
      } catch (err) {
        if (err instanceof StaleError) return;
        if (err instanceof AuthError) return ctx.authFailed();
        status.textContent = tIn(currentLang(), 'dg.failed', err.message);
      }
    },
    hide() {
      current = { date: null, lang: null, md: null };
      body.replaceChildren();
    },
    /** The interface's language changed: the controls relabel (data-t); the digest keeps its own language. */
    relabel() {},
  };
}

