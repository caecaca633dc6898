import { isValidDate } from '@app/workflow';
import { AppError } from './app-error.js';

/** ISO 8601 with a time and an explicit offset: a date alone is a day, never an instant. */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !INSTANT_RE.test(value) || !isValidDate(value.slice(0, 10))) return false;
  const t = Date.parse(value);
  return Number.isFinite(t) && t > Date.UTC(1900, 0, 1) && t < Date.UTC(2200, 0, 1);
}

export function parseInstantParam(value: string | undefined, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isInstant(value)) {
    throw AppError.validation([{ field, message: 'must be an ISO 8601 instant with an offset, e.g. 2024-02-09T20:59:59Z' }]);
  }
  return new Date(value);
}
