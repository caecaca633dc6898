/**
 * A free-form jsonb value (a claim's event, a proposal's body, a stored answer): any JSON but SQL NULL.
 * Typed this loosely so that TypeORM's insert and update take any object; a repository reading one
 * checks its shape where it enters (`isJsonObject` in @app/database).
 */
export type StoredJson = NonNullable<unknown>;
