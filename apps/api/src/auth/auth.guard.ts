import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@app/database';
import { AppError } from '../common/app-error.js';
import { ApiKeysService } from './api-keys.service.js';
import { PUBLIC_KEY, ROLE_KEY, roleAllows } from './roles.decorator.js';

/** Bearer API keys on every route but the public ones; the route's role decides 403. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S{1,200})$/i.exec(header) : null;
    if (!match) throw new AppError('unauthorized', 'Send an API key as "Authorization: Bearer <key>".');
    const principal = await this.keys.authenticate(match[1]);
    if (!principal) throw new AppError('unauthorized', 'Unknown or revoked API key.');
    request.principal = principal;
    const required = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? 'viewer';
    if (!roleAllows(principal.role, required)) {
      throw new AppError('forbidden', `This route needs the ${required} role; the key "${principal.name}" is ${principal.role}.`);
    }
    return true;
  }
}
