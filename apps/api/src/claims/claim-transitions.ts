/**
 * The claims ledger's moves as data (the database's claim_step_allowed CHECK says the same):
 * a claim is reported; it may be denied or confirmed (a denial may still be followed by a
 * confirmation — in this story denials often came first); any claim not yet retracted may be
 * retracted (the report itself withdrawn). Pure: no Nest, no database.
 */
export const CLAIM_STATUSES = ['reported', 'denied', 'confirmed', 'retracted'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_MOVES = ['deny', 'confirm', 'retract'] as const;
export type ClaimMove = (typeof CLAIM_MOVES)[number];

/** Where each move leads. */
export const MOVE_TARGET: Record<ClaimMove, ClaimStatus> = { deny: 'denied', confirm: 'confirmed', retract: 'retracted' };

/** The moves each status allows. */
export const ALLOWED_MOVES: Record<ClaimStatus, readonly ClaimMove[]> = {
  reported: ['deny', 'confirm', 'retract'],
  denied: ['confirm', 'retract'],
  confirmed: ['retract'],
  retracted: [],
};

/** `open`: a claim still live and unconfirmed (reported or denied), as the board lists them. */
export const CLAIM_STATUS_FILTERS = [...CLAIM_STATUSES, 'open'] as const;
export type ClaimStatusFilter = (typeof CLAIM_STATUS_FILTERS)[number];

export function statusesOf(filter: ClaimStatusFilter | undefined): ClaimStatus[] | null {
  if (!filter) return null;
  return filter === 'open' ? ['reported', 'denied'] : [filter];
}

export function canMove(status: ClaimStatus, move: ClaimMove): boolean {
  return ALLOWED_MOVES[status].includes(move);
}
