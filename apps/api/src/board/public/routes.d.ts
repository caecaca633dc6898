// Types for the unit spec (desk-client.spec.ts); the browser loads routes.js itself.
export type Route =
  | { view: 'board' }
  | { view: 'province'; slug: string; seq: number | null; asOf: string | null }
  | { view: 'digest'; date: string | null; lang: string | null };
export function parseRoute(hash: string): Route | null;
export function provinceHref(slug: string, options?: { asOf?: string; seq?: number }): string;
export function digestHref(options?: { date?: string; lang?: string }): string;
export function setLinkCycle(slug: string | null): void;
export function boardHref(): string;
export function retargetHref(href: string): string;
