import { randomUUID } from 'node:crypto';
import type { ChangeNotice } from './change-notice.js';

export function notice(type: ChangeNotice['type'], data: Record<string, unknown>, at: Date = new Date()): ChangeNotice {
  return { type, id: randomUUID(), at: at.toISOString(), data };
}
