import { Global, Injectable, Module, type PipeTransform } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CycleEntity, type CycleStatus } from '@app/database';
import { AppError } from '../common/app-error.js';
import { isSlug } from '../common/identifiers.js';

/** A cycle as a request is scoped to it. */
export interface CycleRef {
  id: string;
  slug: string;
  status: CycleStatus;
  /** The request named it (`/cycles/:cycle/…`, `?cycle=`), rather than meaning the default cycle. */
  named?: boolean;
}

/** Writes to an archived cycle are refused: it is read-only. */
export function writable(cycle: CycleRef): CycleRef {
  if (cycle.status === 'archived') throw new AppError('cycle-archived', `The cycle "${cycle.slug}" is archived: it is read-only.`, { cycle: cycle.slug });
  return cycle;
}

/** The base path of a cycle's province routes, as the request named it (the routes of today for the default). */
export function provincesPath(cycle: CycleRef): string {
  return cycle.named ? `/api/v1/cycles/${cycle.slug}/provinces` : '/api/v1/provinces';
}

/** The cycle refs a request names: `/cycles/:cycle/...` or `?cycle=`; undefined is the default cycle. */
export type CycleParam = string | undefined;

/** How long a resolved cycle is trusted: a default switched on another instance is seen within this. */
const TTL_MS = 1000;

/**
 * Turns the cycle a request names (or none: the default cycle, an explicit setting) into the cycle's id,
 * for the repositories to scope by. Cycles change rarely and are read by every request, so a resolution
 * is kept for a second; this instance's own changes clear it at once. Writes check the cycle's status
 * again inside their transaction (an archived cycle is read-only), so a kept resolution never lets one
 * through.
 */
@Injectable()
export class CycleResolver {
  private readonly kept = new Map<string, { ref: CycleRef; until: number }>();

  constructor(@InjectRepository(CycleEntity) private readonly cycles: Repository<CycleEntity>) {}

  async resolve(param: CycleParam): Promise<CycleRef> {
    const key = param ?? '';
    const hit = this.kept.get(key);
    if (hit && hit.until > Date.now()) return hit.ref;
    if (param !== undefined && !isSlug(param)) throw AppError.notFound(`No cycle "${param.slice(0, 100)}".`);
    const row = await this.cycles.findOne({ select: { id: true, slug: true, status: true }, where: param === undefined ? { isDefault: true } : { slug: param } });
    if (!row) throw AppError.notFound(param === undefined ? 'No default cycle: make one the default (PATCH /cycles/{cycle} {"default": true}).' : `No cycle "${param}".`);
    const ref = { id: row.id, slug: row.slug, status: row.status };
    this.kept.set(key, { ref, until: Date.now() + TTL_MS });
    return ref;
  }

  /**
   * The cycle a request names (a path's `:cycle`, a query's `?cycle=`), marked `named`; absent or empty:
   * the default cycle. The pipe below and the routes that read `?cycle=` from their query DTO share it.
   */
  async scope(value: string | undefined): Promise<CycleRef> {
    const named = value !== undefined && value !== '';
    return { ...(await this.resolve(named ? value : undefined)), named };
  }

  /** Forget what was resolved (this instance changed a cycle). */
  forget(): void {
    this.kept.clear();
  }
}

/**
 * `@Param('cycle', ResolveCyclePipe) cycle: CycleRef` (or `@Query('cycle', …)`): the cycle a route names,
 * or the default cycle where it names none (the routes of today); 404 for an unknown one.
 */
@Injectable()
export class ResolveCyclePipe implements PipeTransform<string | undefined, Promise<CycleRef>> {
  constructor(private readonly cycles: CycleResolver) {}

  transform(value: string | undefined): Promise<CycleRef> {
    return this.cycles.scope(value);
  }
}

/** Every feature scopes by cycle: the resolver is global, and depends on nothing but the cycle table. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([CycleEntity])],
  providers: [CycleResolver, ResolveCyclePipe],
  exports: [CycleResolver, ResolveCyclePipe],
})
export class CycleScopeModule {}
