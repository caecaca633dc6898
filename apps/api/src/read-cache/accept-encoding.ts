/** A weight (RFC 9110 §12.4.2): 0 to 1 with at most three decimals; anything else is not one. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Whether an Accept-Encoding header (RFC 9110 §12.5.3) accepts gzip: named (or `x-gzip`) with a
 * non-zero weight, or, when not named, covered by `*` with a non-zero weight. No header: no coding.
 * A member with a malformed weight is ignored.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  let named: number | null = null;
  let wildcard: number | null = null;
  for (const member of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [token, ...params] = member.split(';').map((p) => p.trim().toLowerCase());
    let weight = 1;
    let malformed = false;
    for (const param of params) {
      const [name, value = ''] = param.split('=').map((p) => p.trim());
      if (name !== 'q') continue;
      if (QVALUE.test(value)) weight = Number(value);
      else malformed = true;
    }
    if (malformed) continue;
    if (token === 'gzip' || token === 'x-gzip') named = Math.max(named ?? 0, weight);
    else if (token === '*') wildcard = weight;
  }
  return named !== null ? named > 0 : wildcard !== null && wildcard > 0;
}

/**
 * Whether If-None-Match (RFC 9110 §13.1.2) matches `etag`: `*`, or any tag of its list by the weak
 * comparison (a `W/` prefix on either side is ignored).
 */
export function noneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((t) => t.trim());
  return tags.includes('*') || tags.some((t) => opaque(t) === opaque(etag));
}
