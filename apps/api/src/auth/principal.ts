import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@app/database';

/** Who is calling: the API key's id, name, holder and role (never its secret). */
export interface Principal {
  keyId: string;
  name: string;
  /** Who holds the key: the two-person rule compares people, not keys. */
  person: string;
  role: Role;
}

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);
