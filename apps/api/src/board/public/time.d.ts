// Types for the unit spec (board-client.spec.ts); the browser loads time.js itself.
export function localDate(instant: Date, timeZone: string): string;
export function daysToDeadline(deadline: string, now: Date, timeZone: string): number;
export function countdownText(days: number): string;
export function formatDate(date: string): string;
export function formatInstant(instant: string | Date, timeZone: string): string;
export function formatClock(instant: string | Date, timeZone: string): string;
export function zoneOffsetMinutes(instant: Date, timeZone: string): number;
export function zonedInstant(local: string | null | undefined, timeZone: string): string | null;
export function localInputValue(instant: string | Date, timeZone: string): string;
