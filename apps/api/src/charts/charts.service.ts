import { Injectable } from '@nestjs/common';
import { addDays, localDate, startOfDay } from '@app/workflow';
import { AppError } from '../common/app-error.js';
import { parseInstantParam } from '../common/instants.js';
import type { CycleRef } from '../cycle/cycle-resolver.js';
import { renderSvg } from './chart.renderer.js';
import { ChartsRepository } from './charts.repository.js';
import type { TimelineQueryDto } from './dto/timeline-query.dto.js';
import { buildTimeline, type TimelineData } from './timeline.data.js';
import { timelineSpec } from './timeline.spec-builder.js';

@Injectable()
export class ChartsService {
  constructor(private readonly repo: ChartsRepository) {}

  async timelineSvg(ref: CycleRef, query: TimelineQueryDto, now: Date = new Date()): Promise<string> {
    const data = await this.timeline(ref, query, now);
    const title = query.province && data.rows[0] ? `${data.rows[0].name} · ${data.rows[0].nameAr}: formation history` : 'Governor selection: formation timeline';
    return renderSvg(timelineSpec(data, { end: data.cutoff, title, compact: query.province !== undefined }));
  }

  /**
   * The rows of the timeline of a cycle's provinces. The cut-off is the end of `until` (a day in the cycle's zone), or `asOf`,
   * or now — never later than now: the chart draws what has happened.
   */
  async timeline(ref: CycleRef, query: TimelineQueryDto, now: Date): Promise<TimelineData> {
    const cycle = await this.repo.cycle(ref.id);
    if (!cycle) throw AppError.notFound(`No cycle "${ref.slug}".`);
    if (query.until !== undefined && query.asOf !== undefined) {
      throw AppError.validation([{ field: 'asOf', message: 'give either until (a day) or asOf (an instant), not both' }]);
    }
    const from = startOfDay(cycle.electionDate, cycle.timezone);
    const today = localDate(now, cycle.timezone);
    let cutoff = now;
    if (query.until !== undefined) {
      if (query.until > today) throw AppError.validation([{ field: 'until', message: `must not be after today (${today} in ${cycle.timezone})` }]);
      if (query.until < cycle.electionDate) throw AppError.validation([{ field: 'until', message: `must not be before the election day (${cycle.electionDate})` }]);
      cutoff = new Date(Math.min(startOfDay(addDays(query.until, 1), cycle.timezone).getTime(), now.getTime()));
    }
    const asOf = parseInstantParam(query.asOf, 'asOf');
    if (asOf) {
      if (asOf < from) throw AppError.validation([{ field: 'asOf', message: `must not be before the election day (${cycle.electionDate})` }]);
      cutoff = new Date(Math.min(asOf.getTime(), now.getTime()));
    }
    const provinces = await this.repo.provincesWithEvents(cycle.id, cutoff, query.province);
    if (query.province && provinces.length === 0) throw AppError.notFound(`No province "${query.province}".`);
    const data = buildTimeline({ rules: cycle, provinces, from, cutoff });
    const tier = query.tier;
    return tier ? { ...data, rows: data.rows.filter((r) => (tier === 'none' ? r.tier === null : r.tier === tier)) } : data;
  }
}
