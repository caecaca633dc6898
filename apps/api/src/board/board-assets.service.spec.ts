import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { BOARD_ASSET_BASE, BOARD_PUBLIC_DIR, BoardAssetsService } from './board-assets.service.js';

describe('BoardAssetsService', () => {
  const board = new BoardAssetsService();
  const page = board.page.body.toString('utf8');

  test('the page points at the current version of its assets, and at nothing else (links within the page aside)', () => {
    expect(board.version).toMatch(/^[\w-]{12}$/);
    const urls = [...page.matchAll(/(?:src|href)="([^"#][^"]*)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url.startsWith(`${BOARD_ASSET_BASE}/${board.version}/`)).toBe(true);
      expect(board.asset(url.split('/').pop()!)).not.toBeNull();
    }
    expect(page).not.toContain('%ASSETS%');
  });

  test('every module a script imports is served beside it', () => {
    for (const name of readdirSync(BOARD_PUBLIC_DIR).filter((n) => n.endsWith('.js'))) {
      const source = readFileSync(join(BOARD_PUBLIC_DIR, name), 'utf8');
      for (const [, spec] of source.matchAll(/\bfrom '(\.\/[^']+)'/g)) {
        expect({ [name]: spec, served: board.asset(spec.slice(2)) !== null }).toEqual({ [name]: spec, served: true });
      }
    }
  });

  test('content types, and quoted ETags that change with the content', () => {
    expect(board.asset('board.js')?.contentType).toBe('text/javascript; charset=utf-8');
    expect(board.asset('board.css')?.contentType).toBe('text/css; charset=utf-8');
    expect(board.asset('favicon.svg')?.contentType).toBe('image/svg+xml');
    expect(board.page.contentType).toBe('text/html; charset=utf-8');
    const tags = ['board.js', 'board.css', 'stream.js'].map((n) => board.asset(n)!.etag);
    for (const tag of tags) expect(tag).toMatch(/^"[\w-]{22}"$/);
    expect(new Set(tags).size).toBe(3);
  });

  test('serves only the listed kinds of file, by bare name', () => {
    for (const name of ['index.html', 'stream.d.ts', '../board.module.ts', 'public/board.js', '.board.js', 'BOARD.JS', 'missing.js', '']) {
      expect(board.asset(name)).toBeNull();
    }
  });

  test('the build copies every served file (nest-cli.json assets cover their extensions)', () => {
    const nestCli = JSON.parse(readFileSync(join(process.cwd(), 'nest-cli.json'), 'utf8'));
    const assets: { include: string }[] = nestCli.projects.api.compilerOptions.assets;
    const include = assets.map((a) => a.include).find((g) => g.startsWith('board/public/'));
    expect(include).toBeDefined();
    const extensions = /\{([^}]+)\}$/.exec(include!)![1].split(',');
    const needed = new Set(readdirSync(BOARD_PUBLIC_DIR).filter((n) => !n.endsWith('.d.ts') && !n.endsWith('.ts')).map((n) => extname(n).slice(1)));
    expect([...needed].filter((e) => !extensions.includes(e))).toEqual([]);
  });
});
