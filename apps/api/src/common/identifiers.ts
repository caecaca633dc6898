import { Injectable, type PipeTransform } from '@nestjs/common';
import { AppError } from './app-error.js';

/** A province slug: lower-case words joined by single hyphens (`dhi-qar`), at most 100 characters. */
const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isSlug(value: string): boolean {
  return value.length <= 100 && SLUG_RE.test(value);
}

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** A slug that cannot exist is a 404 before any statement. */
export function checkSlug(slug: string): string {
  if (!isSlug(slug)) throw AppError.notFound(`No province "${slug.slice(0, 100)}".`);
  return slug;
}

/**
 * Path parameters that cannot name anything are a 404 before any statement: `slug` a slug, `id` a
 * UUID, `seq` a positive integer. The routes' pipes say the same; this is for what runs before pipes
 * (the Idempotency-Key's claim, which would otherwise store the refusal of a request that names nothing).
 */
export function checkPathParams(params: Record<string, string | undefined>): void {
  if (params.slug !== undefined) checkSlug(params.slug);
  if (params.id !== undefined && !isUuid(params.id)) throw AppError.notFound(`Nothing is identified by "${params.id.slice(0, 40)}".`);
  if (params.seq !== undefined && !(/^\d{1,9}$/.test(params.seq) && Number(params.seq) >= 1)) {
    throw AppError.notFound(`No event "${params.seq.slice(0, 20)}".`);
  }
}

/** `@Param('slug', ParseSlugPipe)`: a province slug, or the 404 of a province that cannot exist. */
@Injectable()
export class ParseSlugPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return checkSlug(value);
  }
}
