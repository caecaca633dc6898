/** What the outside world is told when something changes: on /stream, to webhooks, in feeds. */
export const NOTICE_TYPES = ['province.changed', 'alert.opened', 'alert.resolved', 'alert.acknowledged', 'claim.changed'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/**
 * Told to open newsroom pages only (/stream, viewer keys and up), so that a desk sees a proposal or a
 * logged call as it happens. No webhook may subscribe to them (CreateWebhookDto takes NOTICE_TYPES),
 * so they never reach the outbox; they carry ids, a province and a status, never text.
 */
export const STREAM_ONLY_NOTICE_TYPES = ['proposal.changed', 'contact.logged'] as const;
export type StreamOnlyNoticeType = (typeof STREAM_ONLY_NOTICE_TYPES)[number];

export interface ChangeNotice {
  type: NoticeType | StreamOnlyNoticeType;
  /** Unique per notice: receivers de-duplicate by it (webhooks are delivered at least once). */
  id: string;
  at: string;
  data: Record<string, unknown>;
}
