/**
 * A place in the stream's order: after the first `delivered` notices of the log row (txId, id). Rows
 * are ordered as /changes orders events (transaction id, then id); one row may hold several notices
 * (an event and the alerts it moved), so a client cut off between them resumes with the rest of the
 * row. Sent as each notice's SSE `id` (base64url of "txid:id:delivered"); only canonical encodings
 * decode, so a Last-Event-ID names exactly one position or none.
 */
export interface StreamPosition {
  /** xid8 of the transaction that wrote the row (64-bit unsigned). */
  txId: bigint;
  /** province_event.id or notice.id (one sequence, bigint). */
  id: bigint;
  /** How many of the row's notices come at or before this position. */
  delivered: number;
}

/** Before every row. */
export const LOG_START: StreamPosition = { txId: 0n, id: 0n, delivered: 0 };

const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;
/** More notices than one row ever holds (an event and its alerts): a bound on what decodes. */
const MAX_DELIVERED = 1000;

export function encodePosition(p: StreamPosition): string {
  return Buffer.from(`${p.txId}:${p.id}:${p.delivered}`, 'ascii').toString('base64url');
}

/** The position a Last-Event-ID names, or null when it is not one this API handed out. */
export function decodePosition(raw: string): StreamPosition | null {
  if (!/^[A-Za-z0-9_-]{6,80}$/.test(raw)) return null;
  const m = /^(0|[1-9]\d{0,19}):(0|[1-9]\d{0,18}):(0|[1-9]\d{0,3})$/.exec(Buffer.from(raw, 'base64url').toString('latin1'));
  if (!m) return null;
  const position = { txId: BigInt(m[1]), id: BigInt(m[2]), delivered: Number(m[3]) };
  if (position.txId > MAX_XID8 || position.id > MAX_BIGINT || position.delivered > MAX_DELIVERED) return null;
  return encodePosition(position) === raw ? position : null;
}

/** Negative when `a` comes before `b`, 0 when they are one position, positive after. */
export function comparePositions(a: StreamPosition, b: StreamPosition): number {
  if (a.txId !== b.txId) return a.txId < b.txId ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.delivered - b.delivered;
}
