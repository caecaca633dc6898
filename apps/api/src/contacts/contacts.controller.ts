import { Body, Controller, Get, Param, Post, Injectable } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { RequireRole } from '../auth/roles.decorator.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { responseSchema } from '../docs/schemas.js';
import { ContactsService } from './contacts.service.js';
import { ContactBodyDto } from './dto/contact-body.dto.js';
import { ParseSlugPipe } from '../common/identifiers.js';
import { ResolveCyclePipe, writable, type CycleRef } from '../cycle/cycle-resolver.js';

/** Reporters hold viewer keys, so viewer may record; the public role is refused (403) on both routes. */
@Injectable()
class ContactsControllerRoutes {
  constructor(private readonly contacts: ContactsService) {}

  @ApiOperation({ summary: 'Log a call to an official' })
  @Post(':slug/contacts')
  @RequireRole('viewer')
  @ApiCreatedResponse({ description: 'The contact, recorded (never published).', schema: responseSchema('Contact') })
  @ApiProblems(400, 404, 413, 415)
  record(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string, @Body() body: ContactBodyDto, @CurrentPrincipal() principal: Principal) {
    return this.contacts.record({ cycleId: writable(cycle).id, slug }, body, principal, cycle.slug);
  }

  @ApiOperation({ summary: 'A province’s contact log' })
  @Get(':slug/contacts')
  @RequireRole('viewer')
  @ApiOkResponse({ description: 'The province’s contact log, oldest first.', schema: responseSchema('ContactList') })
  @ApiProblems(404)
  async list(@Param('cycle', ResolveCyclePipe) cycle: CycleRef, @Param('slug', ParseSlugPipe) slug: string) {
    return { items: await this.contacts.list({ cycleId: cycle.id, slug }) };
  }
}

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('provinces')
export class ContactsController extends ContactsControllerRoutes {}

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('cycles/:cycle/provinces')
export class CycleContactsController extends ContactsControllerRoutes {}
