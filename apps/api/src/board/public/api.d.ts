// Types for the unit spec (desk-client.spec.ts); the browser loads api.js itself.
export class ApiError extends Error {
  status: number;
  problem: Record<string, unknown> | null;
  code: string | null;
}
export class AuthError extends ApiError {}
export class NetworkError extends Error {}
export class StaleError extends Error {}
export const OPERATIONS: Record<string, [string, string]>;
export function operation(doc: unknown, name: string): Record<string, unknown> | null;
export function allowed(doc: unknown, role: string | undefined, name: string): boolean;
export function newIdempotencyKey(): string;
