/**
 * A position in the recording order of events: the (transaction id, event id) of the last event a
 * client has received. Opaque to clients (base64url of "txid:id"); only canonical encodings decode,
 * so a cursor names exactly one position.
 */
export interface ChangeCursor {
  /** The xid8 of the transaction that recorded the event (64-bit unsigned). */
  txId: bigint;
  /** province_event.id (bigint). */
  id: bigint;
}

/** Before every event: where a client without a cursor starts. */
export const START_CURSOR: ChangeCursor = { txId: 0n, id: 0n };

const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;

export function encodeCursor(c: ChangeCursor): string {
  return Buffer.from(`${c.txId}:${c.id}`, 'ascii').toString('base64url');
}

/** The position a cursor names, or null when it is not one this API handed out. */
export function decodeCursor(raw: string): ChangeCursor | null {
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(raw)) return null;
  const m = /^(0|[1-9]\d{0,19}):(0|[1-9]\d{0,18})$/.exec(Buffer.from(raw, 'base64url').toString('latin1'));
  if (!m) return null;
  const cursor = { txId: BigInt(m[1]), id: BigInt(m[2]) };
  if (cursor.txId > MAX_XID8 || cursor.id > MAX_BIGINT || encodeCursor(cursor) !== raw) return null;
  return cursor;
}
