import * as commonmark from 'commonmark';
import MarkdownIt from 'markdown-it';
import { marked } from 'marked';
import { buildDigest, type DigestInput } from './digest.builder.js';
import { digestMessages } from './digest.i18n.js';
import { renderDigestMarkdown } from './digest.markdown.js';

/**
 * The digest is pasted into CMSs, e-mails and chat tools, each with its own Markdown renderer: the
 * reference CommonMark implementation, markdown-it (safe: HTML off, its default; and with HTML on) and
 * marked. Each must show the Arabic digest with the structure the English one has — the same
 * emphasis, headings, list items and table — and no markup printed as text.
 */
const RENDERERS: Record<string, (md: string) => string> = {
  commonmark: (md) => new commonmark.HtmlRenderer().render(new commonmark.Parser().parse(md)),
  'markdown-it (safe)': (md) => new MarkdownIt().render(md),
  'markdown-it (html)': (md) => new MarkdownIt({ html: true }).render(md),
  marked: (md) => marked.parse(md, { async: false }),
};

const rules = { electionDate: '2023-12-18', deadline: '2024-02-09', timezone: 'Asia/Baghdad', tierByDays: 21, candidateByDays: 7 };

/** A day with every kind of emphasis the digest writes: bold headline and "new", italic empty sections, "internal" and "no claim awaits". */
const input: DigestInput = {
  date: '2024-02-09',
  rules,
  provinces: [{ slug: 'basra', name: 'Basra', nameAr: 'البصرة', seats: 23, state: null }],
  events: [],
  corrections: [],
  includeInternal: true,
  claims: {
    steps: [{ id: 'a', province: 'basra', text: 'Hikma gets Basra', subject: null, internal: true, status: 'reported', source: { name: 'Rudaw' }, at: new Date('2024-02-09T08:30:00Z') }],
    unconfirmed: [],
  },
};

const TAGS = ['em', 'strong', 'h1', 'h2', 'h3', 'li', 'table', 'img'] as const;
const structure = (html: string) => Object.fromEntries(TAGS.map((tag) => [tag, html.split(`<${tag}`).length - 1]));
/** The text a reader sees, tags removed: markup characters left in it are markup that failed. */
const visibleText = (html: string) => html.replace(/<[^>]*>/g, '');

describe.each(Object.entries(RENDERERS))('the digest in %s', (_name, render) => {
  const english = render(renderDigestMarkdown(buildDigest(input)));
  const arabic = render(renderDigestMarkdown(buildDigest(input, digestMessages('ar')), digestMessages('ar')));

  test('English: bold headline and "new", italic empty sections and "internal"', () => {
    expect(structure(english)).toMatchObject({ em: 5, strong: 4, h1: 1, img: 1 });
  });

  test('Arabic has the structure of English: the same emphasis, headings, items, table and picture', () => {
    expect(structure(arabic)).toEqual(structure(english));
  });

  test('Arabic prints no markup as text: no emphasis delimiter, no HTML wrapper', () => {
    expect(visibleText(arabic)).not.toMatch(/(^|[^\\])[_*]|&lt;|div/);
    expect(visibleText(english)).not.toMatch(/(^|[^\\])[_*]|&lt;|div/);
  });
});
