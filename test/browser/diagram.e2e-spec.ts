import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { setupSuite } from '../support/test-app.js';

/**
 * The workflow diagram (GET /machine?format=svg) as a browser draws it: Debian's Chromium, driven by
 * playwright-core, lays out the SVG with its embedded fonts, and the label boxes it measures are
 * compared — no two labels may overlap, and each lies wholly inside its own cell. Headless Vega on the
 * server only estimates text widths, so this is where a label running past its cell shows.
 */

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  /** A label's aria-label ("WITHDRAW from candidate: → tier [isNominee]") or a cell's ("transition from=candidate event=WITHDRAW to=tier guard=isNominee"). */
  label: string;
}

let suite: Awaited<ReturnType<typeof setupSuite>>;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium; .ci/run does it).`);
  suite = await setupSuite('diagram');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await suite?.teardown();
});

/** The boxes Chromium gives the diagram's cell labels and cells, and the whole picture. */
async function measure(svg: string): Promise<{ labels: Box[]; cells: Box[]; picture: Box }> {
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    await page.evaluate('document.fonts.ready');
    return (await page.evaluate(`(() => {
      const box = (e) => { const b = e.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height, label: e.getAttribute('aria-label') ?? '' }; };
      return {
        labels: [...document.querySelectorAll('g.mark-text.role-mark text')].map(box),
        cells: [...document.querySelectorAll('g.mark-rect.role-mark path')].map(box),
        picture: box(document.querySelector('svg')),
      };
    })()`)) as { labels: Box[]; cells: Box[]; picture: Box };
  } finally {
    await page.close();
  }
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
const centre = (a: Box) => ({ x: a.x + a.w / 2, y: a.y + a.h / 2 });

test('the workflow diagram in Chromium: one label per transition, no two overlap, each inside its own cell', async () => {
  const machine = (await suite.app.http().get('/api/v1/machine').set(suite.auth(suite.keys.viewer))).body as { transitions: unknown[] };
  const res = await suite.app.http().get('/api/v1/machine?format=svg').set(suite.auth(suite.keys.viewer)).buffer(true).parse((r, done) => {
    let body = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => (body += c));
    r.on('end', () => done(null, body));
  });
  expect(res.status).toBe(200);
  const { labels, cells, picture } = await measure(res.body as string);
  expect(labels).toHaveLength(machine.transitions.length);
  expect(cells).toHaveLength(machine.transitions.length);

  const overlaps = labels.flatMap((a, i) => labels.slice(i + 1).filter((b) => overlap(a, b)).map((b) => `${a.label} ⟷ ${b.label}`));
  expect(overlaps).toEqual([]);

  // The cell under a label's centre is its own (same stage, event and outcome), and holds all of it.
  const ownCell = (label: string) => {
    const [, event, from, to] = /^(\w+) from (\w+): (?:→ (\w+)|↺ stays)/.exec(label)!;
    return `transition from=${from} event=${event} to=${to ?? from} `;
  };
  const outside = labels
    .filter((l) => {
      const c = centre(l);
      const cell = cells.find((k) => c.x >= k.x && c.x <= k.x + k.w && c.y >= k.y && c.y <= k.y + k.h);
      return !cell?.label.startsWith(ownCell(l.label)) || !inside(l, cell) || !inside(l, picture);
    })
    .map((l) => `${l.label} ${JSON.stringify({ x: l.x, y: l.y, w: l.w, h: l.h })}`);
  expect(outside).toEqual([]);
});
