import type { ContactChannel, ContactOutcome } from './dto/contact-body.dto.js';

export interface ContactRow {
  id: string;
  province: string;
  officialName: string;
  officialTitle: string | null;
  channel: ContactChannel;
  outcome: ContactOutcome;
  summary: string | null;
  contactedAt: Date;
  recordedAt: Date;
  actor: string;
}

/** One call to an official: newsroom-only, never on a public surface. */
export interface ContactView {
  id: string;
  province: string;
  official: { name: string; title: string | null };
  channel: ContactChannel;
  outcome: ContactOutcome;
  summary: string | null;
  contactedAt: string;
  recordedAt: string;
  actor: string;
}

export function toContactView(c: ContactRow): ContactView {
  return {
    id: c.id,
    province: c.province,
    official: { name: c.officialName, title: c.officialTitle },
    channel: c.channel,
    outcome: c.outcome,
    summary: c.summary,
    contactedAt: c.contactedAt.toISOString(),
    recordedAt: c.recordedAt.toISOString(),
    actor: c.actor,
  };
}
