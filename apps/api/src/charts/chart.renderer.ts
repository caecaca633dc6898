import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

const require = createRequire(import.meta.url);

/** A font file shipped by a @fontsource package (their `exports` map hides `files/`; LICENSE is exported). */
function fontFile(pkg: string, file: string): Buffer {
  return readFileSync(join(dirname(require.resolve(`${pkg}/LICENSE`)), 'files', file));
}

let fontCss: string | null = null;

/**
 * Noto Sans (Latin) and Noto Sans Arabic at weight 400, as one family split by unicode-range, so a
 * single font-family covers mixed English and Arabic text. Embedded as data: URIs: the SVG must stand
 * alone in a story (about 85 kB; fontsource's files are already split by script).
 */
function embeddedFonts(): string {
  if (fontCss) return fontCss;
  const face = (data: Buffer, range: string) =>
    `@font-face{font-family:'Tracker Sans';font-style:normal;font-weight:400;font-display:swap;` +
    `src:url(data:font/woff2;base64,${data.toString('base64')}) format('woff2');unicode-range:${range}}`;
  fontCss = [
    face(fontFile('@fontsource/noto-sans', 'noto-sans-latin-400-normal.woff2'), 'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD'),
    face(fontFile('@fontsource/noto-sans-arabic', 'noto-sans-arabic-arabic-400-normal.woff2'), 'U+0600-06FF,U+0750-077F,U+0870-088E,U+0890-0891,U+0897-08E1,U+08E3-08FF,U+200C-200E,U+2010-2011,U+204F,U+2E41,U+FB50-FDFF,U+FE70-FE74,U+FE76-FEFC'),
  ].join('');
  return fontCss;
}

/** Vega and Vega-Lite are loaded on the first chart, not at boot (their memory: docs/performance.md). */
let engines: Promise<[typeof import('vega'), typeof import('vega-lite')]> | null = null;
// One after the other: jest's ESM loader fails concurrent dynamic imports that share modules.
const loadEngines = () => (engines ??= (async () => [await import('vega'), await import('vega-lite')] as [typeof import('vega'), typeof import('vega-lite')])());

/**
 * Vega-Lite warns that layers declaring the same explicit domain "conflict" (it compares the compiled
 * signal with the literal) and then uses their union, which is that same domain; that one warning is
 * dropped, every other one is logged.
 */
function compileLogger({ logger, Warn }: typeof import('vega')) {
  const log = logger(Warn);
  const warn = log.warn.bind(log);
  log.warn = (...args: readonly unknown[]) => (String(args[0]).startsWith('Conflicting scale property "domain') ? log : warn(...args));
  return log;
}

/** Compile Vega-Lite, run the Vega dataflow headless (no canvas: text widths are estimated) and serialise to SVG. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await loadEngines();
  const view = new vega.View(vega.parse(vegaLite.compile(spec, { logger: compileLogger(vega) }).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return withFonts(svg);
  } finally {
    view.finalize();
  }
}

/** Put the @font-face rules first inside the root element (Vega has no option for it). */
export function withFonts(svg: string): string {
  const open = svg.indexOf('>', svg.indexOf('<svg')) + 1;
  return `${svg.slice(0, open)}<defs><style>${embeddedFonts()}</style></defs>${svg.slice(open)}`;
}

