import type { EventType } from '@app/workflow';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * One line a reporter can read: what an event did, from its payload (and the council's size, when
 * known, for the vote count). The digest, the Atom feeds and the CSV history all say it this way.
 */
export function summarizeEvent(type: EventType, payload: Record<string, unknown>, seats?: number): string {
  switch (type) {
    case 'SET_CRITERIA':
      return `Criteria set: ${str(payload.criteria) ?? ''}`;
    case 'ASSIGN_TIER':
      return `Assigned to tier ${str(payload.tier) ?? '?'}`;
    case 'CONVENE': {
      const chair = str(payload.chair);
      return chair ? `Council convened (chair: ${chair})` : 'Council convened';
    }
    case 'NOMINATE': {
      const c = (payload.candidate ?? {}) as Record<string, unknown>;
      const extra = [str(c.nameAr), str(c.bloc)].filter(Boolean).join(', ');
      return `Nominated ${str(c.name) ?? '?'}${extra ? ` (${extra})` : ''}`;
    }
    case 'WITHDRAW': {
      const reason = str(payload.reason);
      return `${str(payload.candidate) ?? '?'} withdrew${reason ? `: ${reason}` : ''}`;
    }
    case 'APPOINT': {
      const votes = num(payload.votes);
      const present = num(payload.present);
      const tally = votes === null ? null : seats ? `${votes} of ${seats} votes` : `${votes} votes`;
      const parts = [tally, present !== null ? `${present} present` : null].filter(Boolean);
      const count = parts.length > 0 ? ` (${parts.join(', ')})` : '';
      return `Appointed ${str(payload.governor) ?? '?'}${count}`;
    }
    case 'DECREE': {
      const date = str(payload.decreeDate);
      return `Presidential decree recorded${date ? ` (dated ${date})` : ''}`;
    }
    case 'REVOKE':
      return `Appointment revoked: ${str(payload.reason) ?? ''}`;
    case 'SET_DEADLINE': {
      const basis = str(payload.basis);
      return `Deadline set to ${str(payload.deadline) ?? '?'}${basis ? ` (${basis})` : ''}`;
    }
    case 'REPORT':
      return `${str(payload.kind) ?? 'report'}: ${str(payload.text) ?? ''}`;
  }
}
