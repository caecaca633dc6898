import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { responseSchema } from '../docs/schemas.js';
import { CurrentPrincipal, type Principal } from './principal.js';
import { RequireRole } from './roles.decorator.js';

/**
 * Who the key is: its name and role, never its id or secret. The desk page asks once, to offer only
 * what the role may do (the document's `x-required-role` on each operation says what that is) and to
 * tell a proposer's own proposals from a colleague's; the API refuses the rest whatever a page offers.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @ApiOperation({ summary: 'The calling key: name and role' })
  @Get()
  @RequireRole('public')
  @ApiOkResponse({ description: 'The calling key’s name and role.', schema: responseSchema('Me') })
  me(@CurrentPrincipal() principal: Principal) {
    return { name: principal.name, role: principal.role };
  }
}
