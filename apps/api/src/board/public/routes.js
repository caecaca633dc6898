// The page's addresses: #/ (the board), #/provinces/<slug> (?asOf=<instant>; /events/<seq> for an
// event's permalink) and #/digest (?date=YYYY-MM-DD&lang=en|ar). A colleague opens them as they are.

/** The route of a location hash, or null for an in-page anchor (a skip link's #alerts-title). */
export function parseRoute(hash) {
  if (!hash || hash === '#' || hash === '#/') return { view: 'board' };
  if (!hash.startsWith('#/')) return null;
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
  return asOf ? `${path}?${new URLSearchParams({ asOf })}` : path;
}

/** The hash link of a day's digest. */
export function digestHref({ date, lang } = {}) {
  const query = new URLSearchParams(Object.entries({ date, lang }).filter(([, v]) => v));
  return `#/digest${query.size ? `?${query}` : ''}`;
}
