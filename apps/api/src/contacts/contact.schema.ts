import type { SchemaObject } from '@nestjs/swagger';
import { CONTACT_CHANNELS, CONTACT_OUTCOMES } from './dto/contact-body.dto.js';

const CONTACT: SchemaObject = {
  type: 'object',
  required: ['id', 'province', 'official', 'channel', 'outcome', 'summary', 'contactedAt', 'recordedAt', 'actor'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    province: { type: 'string', example: 'basra' },
    official: {
      type: 'object',
      required: ['name', 'title'],
      properties: { name: { type: 'string', example: 'Khalaf Al-Badran' }, title: { type: 'string', nullable: true, example: 'Basra council spokesman' } },
    },
    channel: { type: 'string', enum: [...CONTACT_CHANNELS], example: 'call' },
    outcome: { type: 'string', enum: [...CONTACT_OUTCOMES], example: 'declined_to_comment' },
    summary: { type: 'string', nullable: true },
    contactedAt: { type: 'string', format: 'date-time', example: '2024-01-21T08:30:00.000Z' },
    recordedAt: { type: 'string', format: 'date-time', example: '2024-01-21T08:35:00.000Z' },
    actor: { type: 'string', example: 'basra-desk' },
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The contact log's responses and the province history (events, claim steps, contacts in one list). */
export const CONTACT_SCHEMAS: Record<string, SchemaObject> = {
  Contact: CONTACT,
  ContactList: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('Contact') } } },
  ProvinceHistory: {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        description: 'Time-ordered (`at`, then recording order). A public key sees no contacts and no internal claims.',
        items: {
          type: 'object',
          required: ['kind', 'at', 'recordedAt'],
          properties: {
            kind: { type: 'string', enum: ['event', 'claim', 'contact'] },
            at: { type: 'string', format: 'date-time', description: 'occurredAt of an event or claim step, contactedAt of a contact' },
            recordedAt: { type: 'string', format: 'date-time' },
            event: ref('ProvinceEvent'),
            claim: {
              type: 'object',
              description: 'kind claim: the claim (without its steps) and the one step this item is',
              required: ['id', 'text', 'subject', 'internal', 'status'],
              properties: {
                id: { type: 'string', format: 'uuid' },
                text: { type: 'string' },
                subject: { type: 'string', nullable: true },
                internal: { type: 'boolean' },
                status: { type: 'string', description: 'its status now' },
              },
            },
            step: ref('ClaimStep'),
            contact: ref('Contact'),
          },
        },
      },
    },
  },
};
