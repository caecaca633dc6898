// Types for the unit spec (board-client.spec.ts); the browser loads stream.js itself.
export interface SseMessage {
  type: string;
  data: string;
  id: string;
}
export function createSseParser(onMessage: (message: SseMessage) => void): { push(chunk: string): void };
export function backoffDelay(attempt: number, options?: { min?: number; max?: number; random?: () => number }): number;
export class UnauthorizedError extends Error {}
export type StreamStatus =
  | { state: 'connecting'; attempt: number; droppedAt: Date | null }
  | { state: 'live'; since: Date; reconnected: boolean; droppedAt: Date | null }
  | { state: 'reconnecting'; droppedAt: Date; retryAt: Date; attempt: number; reason: string }
  | { state: 'stopped' };
export class LiveStream {
  constructor(options: {
    url: string | URL;
    headers: () => Record<string, string>;
    onMessage?: (message: SseMessage) => void;
    onStatus?: (status: StreamStatus) => void;
    onUnauthorized?: () => void;
    fetch?: (url: string | URL, init: RequestInit) => Promise<Response>;
    minDelay?: number;
    maxDelay?: number;
    idleMs?: number;
    random?: () => number;
  });
  start(): void;
  stop(): void;
  retryNow(): void;
}
