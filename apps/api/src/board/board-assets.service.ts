import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the page finds its assets. The global prefix (api/v1, set in app.factory.ts) applies to the
 * asset route; only GET / is excluded from it, so the assets live under the API's own path.
 */
export const BOARD_ASSET_BASE = '/api/v1/board';

/** Beside this file: apps/api/src/board/public under jest, dist/apps/api/src/board/public once built (nest-cli.json copies it). */
export const BOARD_PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const PAGE = 'index.html';
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(css|js|svg)$/;

export interface BoardFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/**
 * The board's page and assets, read once at start and held in memory (a few kilobytes). Asset URLs
 * carry a version (a hash of every asset) so that browsers may cache them for good, while the page
 * itself is revalidated on every load and so always points at the current version.
 */
@Injectable()
export class BoardAssetsService {
  readonly version: string;
  readonly page: BoardFile;
  private readonly assets = new Map<string, BoardFile>();

  constructor() {
    const dir = BOARD_PUBLIC_DIR;
    if (!existsSync(join(dir, PAGE))) {
      throw new Error(`The board's files are missing from ${dir}: build with \`nest build api\` (nest-cli.json copies them).`);
    }
    const version = createHash('sha256');
    for (const name of readdirSync(dir).sort()) {
      if (!ASSET_NAME.test(name)) continue;
      const body = readFileSync(join(dir, name));
      this.assets.set(name, { body, contentType: CONTENT_TYPES[extname(name)], etag: etagOf(body) });
      version.update(name).update('\0').update(body);
    }
    this.version = version.digest('base64url').slice(0, 12);
    const html = readFileSync(join(dir, PAGE), 'utf8').replaceAll('%ASSETS%', `${BOARD_ASSET_BASE}/${this.version}`);
    const body = Buffer.from(html, 'utf8');
    this.page = { body, contentType: 'text/html; charset=utf-8', etag: etagOf(body) };
  }

  /** A served asset by file name, or null (unknown names, paths, the page itself, sources such as .d.ts). */
  asset(name: string): BoardFile | null {
    return ASSET_NAME.test(name) ? (this.assets.get(name) ?? null) : null;
  }
}
