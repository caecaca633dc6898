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
