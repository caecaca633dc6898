/**
 * `{"items":[…]}` as UTF-8 bytes, built a page of items at a time: byte for byte
 * `JSON.stringify({ items })` of all the pages together, without the whole list ever existing as
 * objects or as one string (a list of 10,000 provinces is an 11 MiB answer).
 */
export class ItemsJsonEncoder {
  private readonly parts: Buffer[] = [Buffer.from('{"items":[')];
  private empty = true;

  add(items: readonly unknown[]): void {
    if (items.length === 0) return;
    const json = JSON.stringify(items);
    this.parts.push(Buffer.from(`${this.empty ? '' : ','}${json.slice(1, -1)}`, 'utf8'));
    this.empty = false;
  }

  finish(): Buffer {
    this.parts.push(Buffer.from(']}'));
    return Buffer.concat(this.parts);
  }
}
