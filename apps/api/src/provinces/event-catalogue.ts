import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import {
  ACTING_KINDS,
  REPORT_KINDS,
  RULING_OUTCOMES,
  TIERS,
  VACATE_REASONS,
  type ActingKind,
  type EventPayloads,
  type EventType,
  type ReportKind,
  type RulingOutcome,
  type Tier,
  type VacateReason,
} from '@app/workflow';
import { fieldsOf, num, str } from '../common/payload-fields.js';
import { IsCalendarDate, Text } from '../common/text.validators.js';
import { arabicDate, arabicDigits } from '../digest/arabic-calendar.js';
import { EventCommonDto, PersonDto } from './dto/event-common.dto.js';

/**
 * The event catalogue's API half: for each event type, its request body and its name and one-line
 * summary in English and Arabic. The workflow's half (payload, stages, guard) is EVENT_TABLE in
 * @app/workflow, and the compiler asks for an entry here for every type there.
 * docs/adding-an-event-type.md lists every file a new event type touches.
 */

// ---- The request bodies: validated by parseEventBody, named in the OpenAPI document. ----

export class SetCriteriaEventDto extends EventCommonDto {
  @ApiProperty() @Text(1, 5000) criteria: string;
}
export class AssignTierEventDto extends EventCommonDto {
  @ApiProperty({ enum: TIERS }) @IsIn(TIERS) tier: Tier;
}
export class ConveneEventDto extends EventCommonDto {
  @ApiPropertyOptional() @IsOptional() @Text(1, 200) chair?: string;
}
export class NominateEventDto extends EventCommonDto {
  @ApiProperty({ type: PersonDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  candidate: PersonDto;
}
export class WithdrawEventDto extends EventCommonDto {
  @ApiProperty({ description: 'the nominee’s name' }) @Text(1, 200) candidate: string;
  @ApiPropertyOptional() @IsOptional() @Text(1, 2000) reason?: string;
}
export class AppointEventDto extends EventCommonDto {
  @ApiProperty({ description: 'a nominee’s name' }) @Text(1, 200) governor: string;
  @ApiPropertyOptional({ example: 9 }) @IsOptional() @IsInt() @Min(0) @Max(1000) votes?: number;
  @ApiPropertyOptional({ example: 15 }) @IsOptional() @IsInt() @Min(0) @Max(1000) present?: number;
}
export class DecreeEventDto extends EventCommonDto {
  @ApiPropertyOptional({ format: 'date', example: '2024-02-20' }) @IsOptional() @IsCalendarDate() decreeDate?: string;
}
export class RevokeEventDto extends EventCommonDto {
  @ApiProperty({ example: 'President refused the decree' }) @Text(1, 2000) reason: string;
}
export class SetDeadlineEventDto extends EventCommonDto {
  @ApiProperty({ format: 'date', example: '2024-02-20' }) @IsCalendarDate() deadline: string;
  @ApiProperty({ example: 'Law 21 of 2008, Art. 7: 30 days after the first session' }) @Text(1, 2000) basis: string;
}
export class ReportEventDto extends EventCommonDto {
  @ApiProperty({ enum: REPORT_KINDS }) @IsIn(REPORT_KINDS) kind: ReportKind;
  @ApiProperty({ example: 'Alliance source names X for Basra; denied by Y' }) @Text(1, 5000) text: string;
}

export class VacateEventDto extends EventCommonDto {
  @ApiProperty({ enum: VACATE_REASONS, example: 'dismissed', description: 'why the governor left office' }) @IsIn(VACATE_REASONS) reason: VacateReason;
}
export class ActingEventDto extends EventCommonDto {
  @ApiProperty({ description: 'the acting or caretaker governor, as published' }) @Text(1, 200) name: string;
  @ApiPropertyOptional({ description: 'the name in Arabic, as published' }) @IsOptional() @Text(1, 200) nameAr?: string;
  @ApiProperty({ enum: ACTING_KINDS, example: 'acting' }) @IsIn(ACTING_KINDS) kind: ActingKind;
}
export class ContestEventDto extends EventCommonDto {
  @ApiProperty({ example: 'the KDP, Arab and Turkmen blocs', description: 'who disputes the vote or the order' }) @Text(1, 500) by: string;
  @ApiProperty({ example: 'the session was held without a legal quorum', description: 'on what grounds' }) @Text(1, 5000) grounds: string;
}
export class RulingEventDto extends EventCommonDto {
  @ApiProperty({ example: 'Federal Supreme Court', description: 'the court or authority' }) @Text(1, 500) authority: string;
  @ApiProperty({ enum: RULING_OUTCOMES, example: 'upheld', description: '`overturned` undoes the appointment (vacancy) or the vacancy (reinstatement)' })
  @IsIn(RULING_OUTCOMES)
  outcome: RulingOutcome;
}

// ---- The catalogue. ----

/** Text in each language the newsroom publishes in (the digest's). */
export interface Words<T> {
  readonly en: T;
  readonly ar: T;
}

/** A stored payload as read back: the type's fields, of unknown shape until payload-fields.ts checks them. */
export type StoredPayload<T extends EventType> = { readonly [K in keyof EventPayloads[T]]?: unknown };

export interface EventTypeEntry<T extends EventType> {
  /** The request body: the common fields and this type's payload (the compiler checks the payload's fields are there). */
  dto: new () => EventCommonDto & EventPayloads[T];
  /** The type's name, as the digest labels it. */
  label: Words<string>;
  /**
   * One line a reporter can read: what the event did, from its payload (and the council's size, when
   * known, for the vote count). The digest, the Atom feeds and the CSV history all say it this way;
   * in Arabic, names stay as the editor wrote them.
   */
  summary: Words<(payload: StoredPayload<T>, seats?: number) => string>;
}

/** The Arabic letters of the tiers (أ ب ج), as a summary and the digest's headline write them. */
export const TIER_AR: Record<Tier, string> = { A: 'أ', B: 'ب', C: 'ج' };

/** A REPORT's kind in words. */
export const REPORT_KIND_WORDS: Words<Record<ReportKind, string>> = {
  en: { rumor: 'rumor', denial: 'denial', note: 'note', session_failed: 'session failed' },
  ar: { rumor: 'شائعة', denial: 'نفي', note: 'ملاحظة', session_failed: 'تعذّر انعقاد الجلسة' },
};

/** A VACATE's reason and an ACTING's kind in words. */
export const VACATE_REASON_WORDS: Words<Record<VacateReason, string>> = {
  en: {
    dismissed: 'dismissed',
    resigned: 'resigned',
    died: 'died',
    elected_elsewhere: 'elected to another office',
    decree_refused: 'decree refused',
    court_ruling: 'court ruling',
    other: 'left office',
  },
  ar: {
    dismissed: 'الإقالة',
    resigned: 'الاستقالة',
    died: 'الوفاة',
    elected_elsewhere: 'الفوز بمنصب آخر',
    decree_refused: 'رفض المرسوم',
    court_ruling: 'حكم قضائي',
    other: 'مغادرة المنصب',
  },
};
const ACTING_KIND_WORDS: Words<Record<ActingKind, string>> = {
  en: { acting: 'acting governor', caretaker: 'caretaker governor' },
  ar: { acting: 'محافظًا بالوكالة', caretaker: 'محافظًا لتصريف الأعمال' },
};
const isOneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    (values as readonly unknown[]).includes(v);
const isVacateReason = isOneOf(VACATE_REASONS);
const isActingKind = isOneOf(ACTING_KINDS);

const isTier = (v: unknown): v is Tier => (TIERS as readonly unknown[]).includes(v);
const isReportKind = (v: unknown): v is ReportKind => (REPORT_KINDS as readonly unknown[]).includes(v);

export const EVENT_CATALOGUE: { readonly [T in EventType]: EventTypeEntry<T> } = {
  SET_CRITERIA: {
    dto: SetCriteriaEventDto,
    label: { en: 'SET_CRITERIA', ar: 'تحديد المعايير' },
    summary: {
      en: (p) => `Criteria set: ${str(p.criteria) ?? ''}`,
      ar: (p) => `حُدّدت المعايير: ${str(p.criteria) ?? ''}`,
    },
  },
  ASSIGN_TIER: {
    dto: AssignTierEventDto,
    label: { en: 'ASSIGN_TIER', ar: 'تحديد الفئة' },
    summary: {
      en: (p) => `Assigned to tier ${str(p.tier) ?? '?'}`,
      ar: (p) => `صُنّفت في الفئة ${isTier(p.tier) ? TIER_AR[p.tier] : '؟'}`,
    },
  },
  CONVENE: {
    dto: ConveneEventDto,
    label: { en: 'CONVENE', ar: 'انعقاد المجلس' },
    summary: {
      en: (p) => {
        const chair = str(p.chair);
        return chair ? `Council convened (chair: ${chair})` : 'Council convened';
      },
      ar: (p) => {
        const chair = str(p.chair);
        return chair ? `انعقد المجلس (الرئيس: ${chair})` : 'انعقد المجلس';
      },
    },
  },
  NOMINATE: {
    dto: NominateEventDto,
    label: { en: 'NOMINATE', ar: 'ترشيح' },
    summary: {
      en: (p) => {
        const c = fieldsOf(p.candidate);
        const extra = [str(c.nameAr), str(c.bloc)].filter(Boolean).join(', ');
        return `Nominated ${str(c.name) ?? '?'}${extra ? ` (${extra})` : ''}`;
      },
      ar: (p) => {
        const c = fieldsOf(p.candidate);
        const [name, nameAr] = [str(c.name), str(c.nameAr)];
        const extra = [nameAr ? name : null, str(c.bloc)].filter(Boolean).join('، ');
        return `رُشّح ${nameAr ?? name ?? '؟'}${extra ? ` (${extra})` : ''}`;
      },
    },
  },
  WITHDRAW: {
    dto: WithdrawEventDto,
    label: { en: 'WITHDRAW', ar: 'انسحاب' },
    summary: {
      en: (p) => {
        const reason = str(p.reason);
        return `${str(p.candidate) ?? '?'} withdrew${reason ? `: ${reason}` : ''}`;
      },
      ar: (p) => {
        const reason = str(p.reason);
        return `انسحب ${str(p.candidate) ?? '؟'}${reason ? `: ${reason}` : ''}`;
      },
    },
  },
  APPOINT: {
    dto: AppointEventDto,
    label: { en: 'APPOINT', ar: 'انتخاب المحافظ' },
    summary: {
      en: (p, seats) => {
        const votes = num(p.votes);
        const present = num(p.present);
        const tally = votes === null ? null : seats ? `${votes} of ${seats} votes` : `${votes} votes`;
        const parts = [tally, present !== null ? `${present} present` : null].filter(Boolean);
        const count = parts.length > 0 ? ` (${parts.join(', ')})` : '';
        return `Appointed ${str(p.governor) ?? '?'}${count}`;
      },
      ar: (p, seats) => {
        const votes = num(p.votes);
        const present = num(p.present);
        const parts = [
          votes === null ? null : `الأصوات: ${arabicDigits(votes)}${seats ? ` من ${arabicDigits(seats)}` : ''}`,
          present === null ? null : `الحضور: ${arabicDigits(present)}`,
        ].filter(Boolean);
        return `انتُخب ${str(p.governor) ?? '؟'} محافظًا${parts.length > 0 ? ` (${parts.join('، ')})` : ''}`;
      },
    },
  },
  DECREE: {
    dto: DecreeEventDto,
    label: { en: 'DECREE', ar: 'المرسوم الجمهوري' },
    summary: {
      en: (p) => {
        const date = str(p.decreeDate);
        return `Presidential decree recorded${date ? ` (dated ${date})` : ''}`;
      },
      ar: (p) => {
        const date = str(p.decreeDate);
        return `سُجّل المرسوم الجمهوري${date ? ` (بتاريخ ${arabicDate(date)})` : ''}`;
      },
    },
  },
  REVOKE: {
    dto: RevokeEventDto,
    label: { en: 'REVOKE', ar: 'إلغاء التعيين' },
    summary: {
      en: (p) => `Appointment revoked: ${str(p.reason) ?? ''}`,
      ar: (p) => `أُلغي التعيين: ${str(p.reason) ?? ''}`,
    },
  },
  SET_DEADLINE: {
    dto: SetDeadlineEventDto,
    label: { en: 'SET_DEADLINE', ar: 'تحديد المهلة' },
    summary: {
      en: (p) => {
        const basis = str(p.basis);
        return `Deadline set to ${str(p.deadline) ?? '?'}${basis ? ` (${basis})` : ''}`;
      },
      ar: (p) => {
        const deadline = str(p.deadline);
        const basis = str(p.basis);
        return `حُدّدت المهلة بيوم ${deadline ? arabicDate(deadline) : '؟'}${basis ? ` (${basis})` : ''}`;
      },
    },
  },
  REPORT: {
    dto: ReportEventDto,
    label: { en: 'REPORT', ar: 'تقرير' },
    summary: {
      en: (p) => `${str(p.kind) ?? 'report'}: ${str(p.text) ?? ''}`,
      ar: (p) => `${isReportKind(p.kind) ? REPORT_KIND_WORDS.ar[p.kind] : 'تقرير'}: ${str(p.text) ?? ''}`,
    },
  },
  VACATE: {
    dto: VacateEventDto,
    label: { en: 'VACATE', ar: 'شغور المنصب' },
    summary: {
      en: (p) => `The governor left office (${isVacateReason(p.reason) ? VACATE_REASON_WORDS.en[p.reason] : '?'}): a new selection opens`,
      ar: (p) => `شغر منصب المحافظ (${isVacateReason(p.reason) ? VACATE_REASON_WORDS.ar[p.reason] : '؟'}) وبدأ اختيار جديد`,
    },
  },
  ACTING: {
    dto: ActingEventDto,
    label: { en: 'ACTING', ar: 'تكليف محافظ' },
    summary: {
      en: (p) => `${str(p.name) ?? '?'}${str(p.nameAr) ? ` (${str(p.nameAr)})` : ''} named ${isActingKind(p.kind) ? ACTING_KIND_WORDS.en[p.kind] : 'acting governor'}`,
      ar: (p) => `كُلّف ${str(p.nameAr) ?? str(p.name) ?? '؟'} ${isActingKind(p.kind) ? ACTING_KIND_WORDS.ar[p.kind] : 'محافظًا بالوكالة'}`,
    },
  },
  CONTEST: {
    dto: ContestEventDto,
    label: { en: 'CONTEST', ar: 'طعن' },
    summary: {
      en: (p) => `Contested by ${str(p.by) ?? '?'}: ${str(p.grounds) ?? ''}`,
      ar: (p) => `طعن ${str(p.by) ?? '؟'}: ${str(p.grounds) ?? ''}`,
    },
  },
  RULING: {
    dto: RulingEventDto,
    label: { en: 'RULING', ar: 'قرار' },
    summary: {
      en: (p) => `${str(p.authority) ?? '?'} ruled: ${p.outcome === 'overturned' ? 'overturned' : p.outcome === 'upheld' ? 'upheld' : '?'}`,
      ar: (p) => `قرار ${str(p.authority) ?? '؟'}: ${p.outcome === 'overturned' ? 'إلغاء' : p.outcome === 'upheld' ? 'مصادقة' : '؟'}`,
    },
  },
};

/** The summary of an event of any type in one language, from its stored payload. */
export function eventSummaryIn(lang: keyof Words<unknown>) {
  return (type: EventType, payload: Record<string, unknown>, seats?: number): string => EVENT_CATALOGUE[type].summary[lang](payload, seats);
}
