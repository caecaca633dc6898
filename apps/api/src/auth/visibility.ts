import type { Principal } from './principal.js';

/**
 * Whether a caller may see internal items (internal events and claims, notes, the contact log).
 * Only the `public` role is limited to publishable items; every newsroom role sees everything.
 */
export function seesInternal(principal: Pick<Principal, 'role'>): boolean {
  return principal.role !== 'public';
}
