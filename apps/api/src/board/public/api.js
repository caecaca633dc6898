// Every call the page makes to the API, in one place: the paths, the key (sent only in the
// Authorization header), If-Match and Idempotency-Key, and problem documents turned into errors.
// Cycles (issue 20): `cycle()` names the cycle the page shows (null: the default one, the routes of
// today unchanged); its province routes get a /cycles/:cycle prefix (provincePath()), and the other
// cycle-wide reads ?cycle= (withQuery()). A read answered after another cycle was picked is a StaleError.

/** An answer other than 2xx: `problem` is the RFC 9457 body (or null), `code` the last part of its type URN. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `The API answered ${status}.`);
    this.status = status;
    this.problem = problem ?? null;
    this.code = typeof problem?.type === 'string' ? problem.type.split(':').pop() : null;
  }
}

/** 401: the key is unknown or revoked. */
export class AuthError extends ApiError {}

/** A read that answered for a cycle no longer shown: dropped, the new cycle's reads are on their way. */
export class StaleError extends Error {}

/** No answer at all (offline, connection cut): the request may or may not have been applied. */
export class NetworkError extends Error {}

/** A fresh Idempotency-Key: one per submission, reused only to retry that same submission after a NetworkError. */
export const newIdempotencyKey = () => crypto.randomUUID();

const ROLE_RANK = { public: 0, viewer: 1, editor: 2, admin: 3 };

/**
 * The operations the page may offer, by name, as the OpenAPI document names their routes (relative to
 * /api/v1). What each needs is read from the document's `x-required-role`: the page never decides a
 * role's rights itself, and the API refuses whatever a page offers anyway.
 */
export const OPERATIONS = {
  alerts: ['get', '/alerts'],
  ack: ['post', '/alerts/{id}/ack'],
  stream: ['get', '/stream'],
  proposals: ['get', '/proposals'],
  approve: ['post', '/proposals/{id}/approve'],
  reject: ['post', '/proposals/{id}/reject'],
  appendEvent: ['post', '/provinces/{slug}/events'],
  retract: ['post', '/provinces/{slug}/events/{seq}/retract'],
  createClaim: ['post', '/provinces/{slug}/claims'],
  claimStep: ['post', '/provinces/{slug}/claims/{id}/confirm'],
  logContact: ['post', '/provinces/{slug}/contacts'],
  claims: ['get', '/claims'],
  history: ['get', '/provinces/{slug}/history'],
  digest: ['get', '/digest'],
};

/** The operation object of `name` in the document, or null. */
export function operation(doc, name) {
  const [method, path] = OPERATIONS[name];
  return doc?.paths?.[`/api/v1${path}`]?.[method] ?? null;
}

/** Whether a key of `role` may call operation `name`, by the document's own `x-required-role`. */
export function allowed(doc, role, name) {
  const op = operation(doc, name);
  if (!op) return false;
  const needs = op['x-required-role'];
  if (needs === undefined) return Array.isArray(op.security) && op.security.length === 0;
  return (ROLE_RANK[role] ?? -1) >= (ROLE_RANK[needs] ?? Infinity);
}

const enc = encodeURIComponent;

function withQuery(path, query = {}) {
  const entries = Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length === 0 ? path : `${path}?${new URLSearchParams(entries)}`;
}

/**
 * A client bound to the API at `base` (…/api/v1/) and a key getter. Every method resolves to the
 * answer's body, or `{ status, body, etag }` for writes whose status matters (201 applied, 202 proposed).
 */
export function createApi({ base, key, cycle = () => null }) {
  const cyclePrefix = () => (cycle() ? `cycles/${enc(cycle())}/` : '');
  const provincePath = (slug) => `${cyclePrefix()}provinces/${enc(slug)}`;
  /** A cycle-wide read's query: ?cycle= when a cycle other than the default one is shown. */
  const inCycle = (path, query = {}) => withQuery(path, { ...query, cycle: cycle() ?? undefined });

  async function request(path, { method = 'GET', body, headers = {}, accept = 'application/json', read = 'json', auth = true } = {}) {
    const shown = cycle();
    const sent = { accept, ...headers };
    if (auth) sent.authorization = `Bearer ${key()}`;
    if (body !== undefined) sent['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(new URL(path, base), {
        method,
        headers: sent,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (err) {
      throw new NetworkError(err?.message ?? String(err));
    }
    if (method === 'GET' && response.status !== 401 && cycle() !== shown) throw new StaleError('Another cycle was picked meanwhile.');
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      throw new (response.status === 401 ? AuthError : ApiError)(response.status, problem);
    }
    const data = read === 'json' ? await response.json() : read === 'text' ? await response.text() : await response.blob();
    return { status: response.status, body: data, etag: response.headers.get('etag') };
  }

  const get = async (path, options) => (await request(path, options)).body;
  const write = (path, body, headers = {}) =>
    request(path, { method: 'POST', body, headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined && v !== null)) });
  const guarded = ({ version, idempotencyKey } = {}) => ({
    'if-match': version === undefined || version === null ? undefined : `"${version}"`,
    'idempotency-key': idempotencyKey,
  });

  return {
    /** The OpenAPI document (public): request schemas for the forms, and what each role may call. */
    document: () => get(new URL('/docs-json', base).href, { auth: false }),
    me: () => get('me'),
    /** A read the same for every cycle (the list of cycles). */
    get: (path) => get(path),
    cycles: () => get('cycles'),
    cycle: () => get(cycle() ? `cycles/${enc(cycle())}` : 'cycle'),
    provinces: () => get(`${cyclePrefix()}provinces`),
    province: (slug, { asOf } = {}) => get(withQuery(provincePath(slug), { asOf })),
    history: (slug) => get(`${provincePath(slug)}/history`),
    provinceClaims: (slug, status) => get(withQuery(`${provincePath(slug)}/claims`, { status })),
    claims: (status) => get(inCycle('claims', { status })),
    alerts: (status) => get(inCycle('alerts', { status })),
    ack: (id) => request(`alerts/${enc(id)}/ack`, { method: 'POST' }),
    proposals: (status) => get(inCycle('proposals', { status })),
    approve: (id) => request(`proposals/${enc(id)}/approve`, { method: 'POST' }),
    reject: (id, reason) => write(`proposals/${enc(id)}/reject`, { reason }),
    appendEvent: (slug, body, guard) => write(`${provincePath(slug)}/events`, body, guarded(guard)),
    retract: (slug, seq, reason, guard) => write(`${provincePath(slug)}/events/${enc(seq)}/retract`, { reason }, guarded(guard)),
    createClaim: (slug, body, guard) => write(`${provincePath(slug)}/claims`, body, guarded(guard)),
    claimStep: (slug, id, step, body, guard) => write(`${provincePath(slug)}/claims/${enc(id)}/${step}`, body, guarded(guard)),
    logContact: (slug, body) => write(`${provincePath(slug)}/contacts`, body),
    digest: ({ date, lang, format }) =>
      get(inCycle('digest', { date, lang, format }), format === 'md' ? { accept: 'text/markdown', read: 'text' } : {}),
    /** An SVG chart as a Blob (an <img> cannot send the key). */
    chart: (path, query) => get((path.startsWith('charts/') ? inCycle : withQuery)(path, query), { accept: 'image/svg+xml', read: 'blob' }),
    streamUrl: () => new URL('stream', base),
  };
}
