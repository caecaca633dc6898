import type { ProposalStatus } from '@app/database';

/** A proposal as the API shows it (never the key ids it compares). */
export interface ProposalView {
  id: string;
  province: string;
  /** APPOINT, REVOKE, SET_DEADLINE, or RETRACT (the retraction of such an event). */
  type: string;
  /**
   * The event request as it will be applied (occurredAt fixed when it was proposed); for a RETRACT
   * proposal `{ type: 'RETRACT', seq, reason }`.
   */
  event: Record<string, unknown>;
  baseVersion: number;
  status: ProposalStatus;
  proposedBy: string;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
  /** The event it became once applied; for RETRACT, the retracted event. */
  eventSeq: number | null;
}

/** What /stream tells open desks of a proposal (proposal.changed): never its event's text. */
export function proposalNotice(p: ProposalView, cycle: string): Record<string, unknown> {
  return { cycle: { slug: cycle }, proposal: { id: p.id, province: p.province, type: p.type, status: p.status, proposedBy: p.proposedBy, decidedBy: p.decidedBy } };
}

export interface ProposalRow {
  id: string;
  slug: string;
  cycle_id: string;
  /** Its cycle's slug (the notices name it). */
  cycle_slug: string;
  province_id: string;
  type: string;
  body: Record<string, unknown>;
  base_version: number;
  proposed_by_key_id: string;
  proposed_by: string;
  status: ProposalStatus;
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  reason: string | null;
  event_seq: number | null;
}

export function toProposalView(r: ProposalRow): ProposalView {
  return {
    id: r.id,
    province: r.slug,
    type: r.type,
    event: r.body,
    baseVersion: r.base_version,
    status: r.status,
    proposedBy: r.proposed_by,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    decidedBy: r.decided_by,
    reason: r.reason,
    eventSeq: r.event_seq,
  };
}
