import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** public ⊂ viewer ⊂ editor ⊂ admin: a public key reads only publishable items (never internal ones). */
export const ROLES = ['public', 'viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The secret itself is never stored, nor any part of it: only its SHA-256. */
@Entity('api_key')
@Check('api_key_name_check', `length(name) BETWEEN 1 AND 100`)
@Check('api_key_role_check', `role IN ('public', 'viewer', 'editor', 'admin')`)
@Check('api_key_key_hash_check', `key_hash ~ '^[0-9a-f]{64}$'`)
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') role: Role;
  @Column('text', { unique: true }) keyHash: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}
