import { SetMetadata } from '@nestjs/common';
import type { Role } from '@app/database';

export const ROLE_KEY = 'requiredRole';
export const PUBLIC_KEY = 'isPublic';

/** The lowest role that may call a route (admin ⊃ editor ⊃ viewer ⊃ public). Routes without it need viewer. */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);
/** Health, docs and the board page: no key needed. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

const RANK: Record<Role, number> = { public: 0, viewer: 1, editor: 2, admin: 3 };
export function roleAllows(held: Role, required: Role): boolean {
  return RANK[held] >= RANK[required];
}
