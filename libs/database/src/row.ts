/**
 * Rows of hand-written SQL, checked where they enter: a repository maps each raw row with a
 * RowReader, which checks every column against the type the caller expects and names the column
 * that differs, instead of asserting the row's shape with `as`. (Rows read through an entity
 * repository need none of this: TypeORM builds them from the entity's metadata.)
 */
export class RowShapeError extends Error {}

/** Whether a JSON value is an object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export class RowReader {
  constructor(private readonly row: Readonly<Record<string, unknown>>) {}

  private fail(column: string, expected: string): never {
    const value = this.row[column];
    throw new RowShapeError(`column "${column}": expected ${expected}, got ${value === null ? 'null' : typeof value}`);
  }

  private nullable<T>(column: string, read: (column: string) => T): T | null {
    return this.row[column] === null || this.row[column] === undefined ? null : read(column);
  }

  text(column: string): string {
    const v = this.row[column];
    return typeof v === 'string' ? v : this.fail(column, 'text');
  }

  textOrNull(column: string): string | null {
    return this.nullable(column, (c) => this.text(c));
  }

  /** One of `values` (a CHECK's list): the union type it is checked against. */
  oneOf<T extends string>(column: string, values: readonly T[]): T {
    const v = this.row[column];
    return values.find((value) => value === v) ?? this.fail(column, values.join(' | '));
  }

  oneOfOrNull<T extends string>(column: string, values: readonly T[]): T | null {
    return this.nullable(column, (c) => this.oneOf(c, values));
  }

  /** int and bigint columns (bigint is parsed as a number: see data-source.ts). */
  int(column: string): number {
    const v = this.row[column];
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : this.fail(column, 'an integer');
  }

  intOrNull(column: string): number | null {
    return this.nullable(column, (c) => this.int(c));
  }

  bool(column: string): boolean {
    const v = this.row[column];
    return typeof v === 'boolean' ? v : this.fail(column, 'a boolean');
  }

  /** A timestamptz: a Date from the driver, or an ISO string from inside a JSON value. */
  instant(column: string): Date {
    const v = this.row[column];
    const at = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;
    return at && !Number.isNaN(at.getTime()) ? at : this.fail(column, 'an instant');
  }

  instantOrNull(column: string): Date | null {
    return this.nullable(column, (c) => this.instant(c));
  }

  /** A JSON object (a jsonb column or a built document). */
  object(column: string): Record<string, unknown> {
    const v = this.row[column];
    return isJsonObject(v) ? v : this.fail(column, 'a JSON object');
  }

  objectOrNull(column: string): Record<string, unknown> | null {
    return this.nullable(column, (c) => this.object(c));
  }

  /** A JSON array (or a PostgreSQL array), each element read by `element`. */
  array<T>(column: string, element: (value: unknown, index: number) => T): T[] {
    const v = this.row[column];
    return Array.isArray(v) ? v.map(element) : this.fail(column, 'an array');
  }

  /** A value `guard` accepts (a JSON document of a known shape): `expected` names it in the error. */
  checked<T>(column: string, guard: (value: unknown) => value is T, expected: string): T {
    const v = this.row[column];
    return guard(v) ? v : this.fail(column, expected);
  }

  /** Any JSON value, unchecked: for a value the caller only passes along (a stored response body, a notice). */
  json(column: string): unknown {
    return column in this.row ? this.row[column] : this.fail(column, 'a value');
  }
}

/** Each row of a query's result through `map`; the result itself is checked to be a list of rows. */
export function readRows<T>(result: unknown, map: (row: RowReader) => T): T[] {
  if (!Array.isArray(result)) throw new RowShapeError(`expected a list of rows, got ${typeof result}`);
  return result.map((row: unknown) => {
    if (!isJsonObject(row)) throw new RowShapeError(`expected a row, got ${row === null ? 'null' : typeof row}`);
    return map(new RowReader(row));
  });
}

/** The first row through `map`, or null when there is none. */
export function readFirst<T>(result: unknown, map: (row: RowReader) => T): T | null {
  return readRows(Array.isArray(result) ? result.slice(0, 1) : result, map)[0] ?? null;
}
