// Types for the unit spec (board-client.spec.ts); the browser loads cycle-picker.js itself.
export function cycleFromHash(hash: string | null | undefined): string | null;
export function scopedPath(path: string, slug: string | null): string;
export function cycleLabel(cycle: { name: string; default: boolean; status: string }): string;
