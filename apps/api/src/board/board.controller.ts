import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/roles.decorator.js';
import { AppError } from '../common/app-error.js';
import { ApiNotModified } from '../docs/api-not-modified.decorator.js';
import { ApiProblems } from '../docs/api-problems.decorator.js';
import { BoardAssetsService, type BoardFile } from './board-assets.service.js';

/**
 * The page's own policy, stricter than a site-wide default: nothing inline, nothing from elsewhere.
 * The key is sent only by the page's fetch() calls to this origin (connect-src 'self').
 */
export const BOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // blob: for the charts, fetched with the key and shown as images (an <img> cannot send the header).
  "img-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

function send(reply: FastifyReply, file: BoardFile, cacheControl: string, ifNoneMatch: string | undefined, extra: Record<string, string> = {}) {
  void reply.headers({ etag: file.etag, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff', ...extra });
  if (notModified(ifNoneMatch, file.etag)) return reply.code(304).send();
  return reply.type(file.contentType).send(file.body);
}

/** The newsroom board: a public page that asks for a key and then reads the API with it. */
@ApiTags('board')
@Public()
@Controller()
export class BoardController {
  constructor(private readonly board: BoardAssetsService) {}

  @ApiOperation({ summary: 'The newsroom board page' })
  @Get()
  @ApiOkResponse({ description: 'The newsroom board (HTML). Public: the page asks for an API key and keeps it in the tab (sessionStorage).', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiNotModified()
  page(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    return send(reply, this.board.page, REVALIDATE, ifNoneMatch, {
      'content-security-policy': BOARD_CSP,
      'referrer-policy': 'no-referrer',
    });
  }

  /** The page's scripts, styles and icon. Other versions than the current one are served, uncached, for pages loaded before a deploy. */
  @ApiOperation({ summary: 'One file of the board page' })
  @Get('board/:version/:file')
  @ApiOkResponse({
    description: "One of the board's assets; cached for good when `version` is the current one.",
    content: Object.fromEntries(['text/javascript', 'text/css', 'image/svg+xml'].map((type) => [type, { schema: { type: 'string' } }])),
  })
  @ApiNotModified()
  @ApiProblems(404)
  asset(
    @Param('version') version: string,
    @Param('file') name: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const file = this.board.asset(name);
    if (!file) throw AppError.notFound(`The board has no file "${name.slice(0, 40)}".`);
    return send(reply, file, version === this.board.version ? IMMUTABLE : REVALIDATE, ifNoneMatch);
  }
}
