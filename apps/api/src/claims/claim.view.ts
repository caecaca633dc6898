import type { EventSource } from '@app/database';
import type { ClaimStatus } from './claim-transitions.js';

/** A stored step as the repository reads it (timestamps may come back from JSON as strings). */
export interface ClaimStepRow {
  step: number;
  from: ClaimStatus | null;
  to: ClaimStatus;
  source: EventSource;
  note: string | null;
  occurredAt: Date | string;
  recordedAt: Date | string;
  actor: string;
  eventSeq: number | null;
}

export interface ClaimRow {
  id: string;
  province: string;
  text: string;
  subject: string | null;
  event: Record<string, unknown> | null;
  source: EventSource;
  reportedAt: Date;
  internal: boolean;
  status: ClaimStatus;
  recordedAt: Date;
  actor: string;
  updatedAt: Date;
  appliedSeq: number | null;
  lastStep: number;
  steps: ClaimStepRow[];
}

export interface ClaimStepView {
  step: number;
  from: ClaimStatus | null;
  to: ClaimStatus;
  source: { name: string; url: string | null };
  note: string | null;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  eventSeq: number | null;
}

/** A claim as the API shows it, with its steps (the first is the report itself). */
export interface ClaimView {
  id: string;
  province: string;
  text: string;
  subject: string | null;
  event: Record<string, unknown> | null;
  source: { name: string; url: string | null };
  reportedAt: string;
  internal: boolean;
  status: ClaimStatus;
  recordedAt: string;
  actor: string;
  updatedAt: string;
  appliedEventSeq: number | null;
  steps: ClaimStepView[];
}

const iso = (t: Date | string) => new Date(t).toISOString();
const sourceView = (s: EventSource) => ({ name: s.name, url: s.url ?? null });

/**
 * `internal` is the caller's right to see internal items (seesInternal): without it, step notes
 * (a reporter's working notes) are left out and who recorded a step is `publicActor`
 * (PUBLIC_ACTOR_NAME), never a key's name; internal claims themselves never reach this far.
 */
export function toStepView(s: ClaimStepRow, internal: boolean, publicActor: string): ClaimStepView {
  return {
    step: s.step,
    from: s.from,
    to: s.to,
    source: sourceView(s.source),
    note: internal ? s.note : null,
    occurredAt: iso(s.occurredAt),
    recordedAt: iso(s.recordedAt),
    actor: internal ? s.actor : publicActor,
    eventSeq: s.eventSeq,
  };
}

export function toClaimView(c: ClaimRow, internal: boolean, publicActor: string): ClaimView {
  return {
    id: c.id,
    province: c.province,
    text: c.text,
    subject: c.subject,
    event: c.event,
    source: sourceView(c.source),
    reportedAt: iso(c.reportedAt),
    internal: c.internal,
    status: c.status,
    recordedAt: iso(c.recordedAt),
    actor: internal ? c.actor : publicActor,
    updatedAt: iso(c.updatedAt),
    appliedEventSeq: c.appliedSeq,
    steps: [...c.steps].sort((a, b) => a.step - b.step).map((s) => toStepView(s, internal, publicActor)),
  };
}
