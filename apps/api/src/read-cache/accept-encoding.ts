/**
 * Whether an Accept-Encoding header (RFC 9110 §12.5.3) accepts gzip: named (or `x-gzip`) with a
 * non-zero weight, or, when not named, covered by `*` with a non-zero weight. No header: no coding.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  let named: number | null = null;
  let wildcard: number | null = null;
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)).find(Boolean);
    const weight = q ? Number(q[1]) : 1;
    if (token === 'gzip' || token === 'x-gzip') named = Math.max(named ?? 0, Number.isFinite(weight) ? weight : 0);
    else if (token === '*') wildcard = Number.isFinite(weight) ? weight : 0;
  }
  return named !== null ? named > 0 : wildcard !== null && wildcard > 0;
}
