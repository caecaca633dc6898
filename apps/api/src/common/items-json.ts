/**
 * `{"items":[…]}` as UTF-8 bytes, written a page of items at a time to `write`: byte for byte
 * `JSON.stringify({ items })` of all the pages together, without the whole list ever existing as
 * objects or as one string (a list of 10,000 provinces is an 11 MiB answer). `write` may wait (a
 * compressor whose input is full); each call waits for it.
 */
export class ItemsJsonEncoder {
  private started = false;

  constructor(private readonly write: (chunk: Buffer) => void | Promise<void>) {}

  async add(items: readonly unknown[]): Promise<void> {
    if (items.length === 0) return;
    const json = JSON.stringify(items);
    await this.write(Buffer.from(`${this.started ? ',' : '{"items":['}${json.slice(1, -1)}`, 'utf8'));
    this.started = true;
  }

  async finish(): Promise<void> {
    await this.write(Buffer.from(this.started ? ']}' : '{"items":[]}'));
  }
}

/** What writeJson collects before it writes (the pieces of a large answer, not the answer). */
const CHUNK_CHARS = 64 * 1024;

/**
 * `JSON.stringify(value)` written to `write` a piece at a time: objects key by key, arrays longer than
 * `sliceItems` a slice at a time, everything else whole — so a large answer (the digest of a day at
 * 10,000 provinces is 4.7 MiB of JSON, a 9 MiB string in V8 once it holds Arabic) never exists as
 * one string. Byte for byte JSON.stringify(value) (a fast-check property) for values whose `toJSON`
 * methods, if any, ignore their key argument (Date's does): the elements of a sliced array are given
 * their index within the slice.
 */
export async function writeJson(value: unknown, write: (chunk: Buffer) => void | Promise<void>, sliceItems = 500): Promise<void> {
  let pending = '';
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending;
    pending = '';
    await write(Buffer.from(text, 'utf8'));
  };
  const emit = async (text: string) => {
    pending += text;
    if (pending.length >= CHUNK_CHARS) await flush();
  };
  const isPlainObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Number || v instanceof String || v instanceof Boolean);
  // The objects and arrays being written: JSON.stringify throws on a cycle; so must this (each await
  // empties the stack, so a cycle would otherwise write forever instead of overflowing it).
  const open = new Set<object>();
  const visit = async (v: unknown): Promise<void> => {
    if (Array.isArray(v) && v.length > sliceItems) {
      if (open.has(v)) throw new TypeError('Converting circular structure to JSON');
      open.add(v);
      await emit('[');
      for (let i = 0; i < v.length; i += sliceItems) await emit(`${i === 0 ? '' : ','}${JSON.stringify(v.slice(i, i + sliceItems)).slice(1, -1)}`);
      open.delete(v);
      return emit(']');
    }
    if (!isPlainObject(v)) return emit(JSON.stringify(v) ?? 'null');
    if (open.has(v)) throw new TypeError('Converting circular structure to JSON');
    open.add(v);
    await emit('{');
    let first = true;
    for (const key of Object.keys(v)) {
      let x = v[key];
      if (x !== null && typeof x === 'object' && typeof (x as { toJSON?: unknown }).toJSON === 'function') x = (x as { toJSON(k: string): unknown }).toJSON(key);
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      await emit(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      await visit(x);
    }
    open.delete(v);
    await emit('}');
  };
  let top = value;
  if (top !== null && typeof top === 'object' && typeof (top as { toJSON?: unknown }).toJSON === 'function') top = (top as { toJSON(k: string): unknown }).toJSON('');
  await visit(top);
  await flush();
}
