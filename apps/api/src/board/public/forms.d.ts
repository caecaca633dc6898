// Types for the specs (test/desk-api.e2e-spec.ts); the browser loads forms.js itself.
export function resolve(doc: unknown, schema: unknown): any;
export function requestSchema(doc: unknown, name: string): any;
export function componentSchema(doc: unknown, name: string): any;
export function eventSchemas(doc: unknown): Map<string, any>;
export function fieldPaths(doc: unknown, schema: unknown, prefix?: string): string[];
export function fieldLabel(path: string): string;
