/** What the outside world is told when something changes: on /stream, to webhooks, in feeds. */
export const NOTICE_TYPES = ['province.changed', 'alert.opened', 'alert.resolved', 'alert.acknowledged', 'claim.changed'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

export interface ChangeNotice {
  type: NoticeType;
  /** Unique per notice: receivers de-duplicate by it (webhooks are delivered at least once). */
  id: string;
  at: string;
  data: Record<string, unknown>;
}
