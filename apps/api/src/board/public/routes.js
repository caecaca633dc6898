// The page's addresses: #/ (the board), #/provinces/<slug> (?asOf=<instant>; /events/<seq> for an
// event's permalink) and #/digest (?date=YYYY-MM-DD&lang=en|ar). A colleague opens them as they are.
// A cycle other than the default one (the cycle picker) rides along as a query part: cycle=<slug> on
// every route, and the board of such a cycle is #cycle=<slug> (the picker's own address).

/** The cycle the page's links carry (null: the default cycle, links as without cycles). */
let linkCycle = null;

/** Set the cycle that provinceHref(), digestHref() and boardHref() carry. */
export function setLinkCycle(slug) {
  linkCycle = slug || null;
}

const withCycle = (entries) => (linkCycle ? [...entries, ['cycle', linkCycle]] : entries);

/** The route of a location hash, or null for an in-page anchor (a skip link's #alerts-title). */
export function parseRoute(hash) {
  if (!hash || hash === '#' || hash === '#/') return { view: 'board' };
  // The board of a picked cycle (#cycle=<slug>); any other fragment is an in-page anchor.
  if (!hash.startsWith('#/')) return new URLSearchParams(hash.slice(1)).has('cycle') ? { view: 'board' } : null;
  const [path, query = ''] = hash.slice(1).split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  if (parts[0] === 'provinces' && parts[1]) {
    const seq = parts[2] === 'events' && /^\d{1,9}$/.test(parts[3] ?? '') ? Number(parts[3]) : null;
    // A '+' pasted unencoded (an offset such as +03:00) arrives as a space.
    return { view: 'province', slug: parts[1], seq, asOf: params.get('asOf')?.replaceAll(' ', '+') ?? null };
  }
  if (parts[0] === 'digest') return { view: 'digest', date: params.get('date'), lang: params.get('lang') };
  return { view: 'board' };
}

/** The hash link of a province's page, as of an instant, or of one of its events. */
export function provinceHref(slug, { asOf, seq } = {}) {
  const path = `#/provinces/${encodeURIComponent(slug)}${seq ? `/events/${seq}` : ''}`;
  const query = new URLSearchParams(withCycle(asOf ? [['asOf', asOf]] : []));
  return query.size ? `${path}?${query}` : path;
}

/** The hash link of a day's digest. */
export function digestHref({ date, lang } = {}) {
  const query = new URLSearchParams(withCycle(Object.entries({ date, lang }).filter(([, v]) => v)));
  return `#/digest${query.size ? `?${query}` : ''}`;
}

/** The hash link of the board. */
export function boardHref() {
  return linkCycle ? `#${new URLSearchParams({ cycle: linkCycle })}` : '#/';
}

/** A route link (#/…, #cycle=…) made to carry the cycle of setLinkCycle() instead of the one it had. */
export function retargetHref(href) {
  if (!href.startsWith('#/') && !/^#cycle=/.test(href)) return href;
  const r = parseRoute(href);
  if (!r) return href;
  if (r.view === 'province') return provinceHref(r.slug, { asOf: r.asOf ?? undefined, seq: r.seq ?? undefined });
  if (r.view === 'digest') return digestHref({ date: r.date ?? undefined, lang: r.lang ?? undefined });
  return boardHref();
}
