import type { SchemaObject } from '@nestjs/swagger';
import { PERSON_ROLES } from './search.index.js';

/** OpenAPI schema of GET /search, beside the index whose `SearchHit` it describes. */
const common = {
  province: { type: 'string', description: "The province's slug (for a person: where they were named).", example: 'basra' },
  name: { type: 'string', example: 'Basra' },
  match: { type: 'string', enum: ['exact', 'prefix', 'contains'], description: 'How the folded query met the folded name: exact > prefix (of the name or one of its words) > contains.' },
  matched: { type: 'string', description: 'The name or alias that matched, as written.', example: 'البصرة' },
} satisfies Record<string, SchemaObject>;

export const SEARCH_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        oneOf: [
          {
            type: 'object',
            title: 'province',
            required: ['kind', 'province', 'name', 'nameAr', 'code', 'matched', 'match'],
            properties: {
              kind: { type: 'string', enum: ['province'] },
              ...common,
              nameAr: { type: 'string', example: 'البصرة' },
              code: { type: 'string', example: 'IQ-BA' },
            },
          },
          {
            type: 'object',
            title: 'person',
            required: ['kind', 'province', 'name', 'nameAr', 'roles', 'bloc', 'provinceName', 'provinceNameAr', 'matched', 'match'],
            properties: {
              kind: { type: 'string', enum: ['person'] },
              ...common,
              name: { type: 'string', example: 'Asaad Al-Eidani' },
              nameAr: { type: 'string', nullable: true, example: 'أسعد العيداني' },
              roles: { type: 'array', items: { type: 'string', enum: [...PERSON_ROLES] }, description: 'What the live events name them as.' },
              bloc: { type: 'string', nullable: true, example: 'Tasmim' },
              provinceName: { type: 'string', example: 'Basra' },
              provinceNameAr: { type: 'string', example: 'البصرة' },
            },
          },
        ],
      },
    },
  },
  example: {
    items: [
      { kind: 'province', province: 'basra', name: 'Basra', nameAr: 'البصرة', code: 'IQ-BA', matched: 'البصرة', match: 'exact' },
      {
        kind: 'person',
        province: 'basra',
        name: 'Asaad Al-Eidani',
        nameAr: 'أسعد العيداني',
        roles: ['nominee', 'governor'],
        bloc: 'Tasmim',
        provinceName: 'Basra',
        provinceNameAr: 'البصرة',
        matched: 'Asaad Al-Eidani',
        match: 'contains',
      },
    ],
  },
};
