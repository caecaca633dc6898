import { randomUUID } from 'node:crypto';
import type { ChangeNotice, NoticeType } from './change-notice.js';

export function notice(type: NoticeType, data: Record<string, unknown>, at: Date = new Date()): ChangeNotice {
  return { type, id: randomUUID(), at: at.toISOString(), data };
}
