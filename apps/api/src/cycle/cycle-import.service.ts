import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CycleEntity } from '@app/database';
import type { Principal } from '../auth/principal.js';
import { AppError, type FieldError } from '../common/app-error.js';
import { ProvincesService } from '../provinces/provinces.service.js';
import { ChangePublisher, type Emit } from '../stream/change-publisher.js';
import { CycleResolver } from './cycle-resolver.js';
import { CycleRepository } from './cycle.repository.js';
import { toCycleView, type CycleView } from './cycle.service.js';
import { byCouncilSlug, canonicalEvent, differences, parseCycleDocument, type CycleDocument, type ParsedCycleDocument } from './cycle-document.js';
import { CycleDocumentRepository, type ExportedEvent } from './cycle-document.repository.js';

export interface ImportResult {
  /** `created`: stored now; `unchanged`: the cycle already holds exactly this document; `kept`: it exists and was left as it is (seeds). */
  outcome: 'created' | 'unchanged' | 'kept';
  cycle: CycleView;
  councils: number;
  events: number;
}

/** What to do when the document's cycle exists: compare (the API and `cycles import`), or leave it alone (seeds). */
export type WhenExists = 'compare' | 'keep';

/** The seeds: each document in full, or (`bare`) its councils without their events. */
export type SeedMode = 'full' | 'bare';

/**
 * A cycle from a data file, and back (issue 20): the import creates the cycle and its councils and hands
 * every event to the provinces' write path in the one transaction, so the machine decides each as it
 * decides POST /provinces/{slug}/events; the first refusal stops the import and nothing is stored.
 * Importing a document its cycle already holds changes nothing; a different one for the same slug is
 * refused (409 cycle-exists, with where they differ). The export writes the cycle in the same form.
 */
@Injectable()
export class CycleImportService {
  constructor(
    private readonly docs: CycleDocumentRepository,
    private readonly cycleRepo: CycleRepository,
    private readonly provinces: ProvincesService,
    private readonly publisher: ChangePublisher,
    private readonly cycles: CycleResolver,
  ) {}

  async import(raw: unknown, actor: Principal, whenExists: WhenExists = 'compare'): Promise<ImportResult> {
    const parsed = parseCycleDocument(raw);
    const doc = parsed.canonical;
    try {
      return await this.publisher.transaction(async (m, emit) => {
        await this.docs.lockImports(m);
        const existing = await this.docs.findBySlug(m, doc.slug);
        if (existing) return this.compare(m, existing, parsed, whenExists);
        const named = await this.docs.findByName(m, doc.name);
        if (named) throw new AppError('cycle-exists', `The cycle "${named.slug}" is already named "${doc.name}".`, { cycle: named.slug, differences: ['name'] });
        const id = await this.docs.insertCycle(m, {
          slug: doc.slug,
          name: doc.name,
          nameAr: doc.nameAr ?? null,
          electionDate: doc.electionDate,
          deadline: doc.deadline.date,
          deadlineBasis: doc.deadline.basis,
          vacancyDeadline: doc.vacancyDeadline ?? null,
          timezone: doc.timezone,
          tierByDays: doc.milestones.tierByDays!,
          candidateByDays: doc.milestones.candidateByDays!,
          requireApproval: doc.requireApproval,
        });
        await this.docs.insertCouncils(m, id, parsed.councils);
        const events = await this.applyEvents(m, emit, id, parsed, actor);
        // Decided after the events, which an archived cycle would refuse; the first cycle of a database is its default.
        if (doc.default || !(await this.docs.hasDefault(m))) await this.cycleRepo.makeDefault(m, id);
        if (doc.status !== 'active') await this.docs.setStatus(m, id, doc.status);
        const row = await this.cycleRepo.lock(m, id);
        return { outcome: 'created', cycle: toCycleView(row, await this.cycleRepo.now(m)), councils: parsed.councils.length, events } satisfies ImportResult;
      });
    } finally {
      this.cycles.forget();
    }
  }

  /** The cycle as a document: what `cycles import` takes, events with their sources in timeline order, retracted ones left out. */
  async export(slug: string): Promise<CycleDocument> {
    const ref = await this.cycles.resolve(slug);
    return this.docs.snapshot(async (m) => this.exportIn(m, (await this.docs.findBySlug(m, ref.slug))!));
  }

  /**
   * Load the seed documents through the import: on a new database (`onlyIfEmpty`, at start) or wherever
   * their cycles are missing (`npm run cli -- seed`). A cycle that exists is left as it is: an editor's
   * work is never overwritten by a restart.
   */
  async seed(documents: readonly unknown[], mode: SeedMode, onlyIfEmpty: boolean): Promise<ImportResult[]> {
    if (onlyIfEmpty && (await this.docs.countCycles()) > 0) return [];
    const actor: Principal = { keyId: '', name: 'seed', person: 'seed', role: 'admin' };
    const results: ImportResult[] = [];
    for (const doc of documents) results.push(await this.import(mode === 'bare' ? withoutEvents(doc) : doc, actor, 'keep'));
    return results;
  }

  private async compare(m: EntityManager, existing: CycleEntity, parsed: ParsedCycleDocument, whenExists: WhenExists): Promise<ImportResult> {
    const stored = await this.exportIn(m, existing);
    const view = toCycleView(existing, await this.cycleRepo.now(m));
    const counts = { councils: stored.councils.length, events: stored.councils.reduce((n, c) => n + (c.events?.length ?? 0), 0) };
    if (whenExists === 'keep') return { outcome: 'kept', cycle: view, ...counts };
    const diff = differences(parsed.canonical, stored as ParsedCycleDocument['canonical']);
    if (diff.length > 0) {
      throw new AppError('cycle-exists', `The cycle "${existing.slug}" exists and differs from this document at ${diff.join(', ')}; nothing was changed.`, {
        cycle: existing.slug,
        differences: diff,
      });
    }
    return { outcome: 'unchanged', cycle: view, ...counts };
  }

  /** Each council's events through the provinces' write path, in the document's order; the first refusal names its event. */
  private async applyEvents(m: EntityManager, emit: Emit, cycleId: string, parsed: ParsedCycleDocument, actor: Principal): Promise<number> {
    let applied = 0;
    for (const council of parsed.councils) {
      for (const [index, input] of council.events.entries()) {
        try {
          await this.provinces.appendIn(m, emit, { cycleId, slug: council.slug }, input, actor, {});
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const type = input.payload.type;
          const at = `councils[${council.index}].events[${index}]`;
          const errors = err.extensions.errors as FieldError[] | undefined;
          throw new AppError(err.code, `The import stopped at ${council.slug}'s event ${index} (${type}): ${err.detail} Nothing was stored.`, {
            ...err.extensions,
            ...(errors ? { errors: errors.map((e) => ({ field: `${at}.${e.field}`, message: e.message })) } : {}),
            event: { council: council.slug, index, type },
          });
        }
        applied++;
      }
    }
    return applied;
  }

  private async exportIn(m: EntityManager, cycle: CycleEntity): Promise<CycleDocument> {
    const councils = (await this.docs.councilsOf(m, cycle.id)).sort(byCouncilSlug);
    const events = new Map<string, ExportedEvent[]>(councils.map((c) => [c.id, []]));
    for (const e of await this.docs.liveEventsOf(m, [...events.keys()])) events.get(e.provinceId)!.push(e);
    return {
      slug: cycle.slug,
      name: cycle.name,
      ...(cycle.nameAr !== null ? { nameAr: cycle.nameAr } : {}),
      electionDate: cycle.electionDate,
      timezone: cycle.timezone,
      deadline: { date: cycle.deadline, basis: cycle.deadlineBasis },
      ...(cycle.vacancyDeadline ? { vacancyDeadline: cycle.vacancyDeadline as CycleDocument['vacancyDeadline'] } : {}),
      milestones: { tierByDays: cycle.tierByDays, candidateByDays: cycle.candidateByDays },
      requireApproval: cycle.requireApproval,
      status: cycle.status,
      ...(cycle.isDefault ? { default: true } : {}),
      councils: councils.map((c) => ({
        slug: c.slug,
        code: c.code,
        name: c.name,
        nameAr: c.nameAr,
        seats: c.seats,
        events: events.get(c.id)!.map((e) => canonicalEvent({ ...e, payload: { ...e.payload, type: e.type } })),
      })),
    };
  }
}

/** A seed document without its councils' events (GT_SEED=bare); anything else is left for the import to refuse. */
function withoutEvents(doc: unknown): unknown {
  if (doc === null || typeof doc !== 'object' || !Array.isArray((doc as { councils?: unknown }).councils)) return doc;
  const d = doc as { councils: unknown[] };
  return { ...d, councils: d.councils.map((c) => (c !== null && typeof c === 'object' ? { ...c, events: [] } : c)) };
}
