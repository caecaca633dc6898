import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** public ⊂ viewer ⊂ editor ⊂ admin: a public key reads only publishable items (never internal ones). */
export const ROLES = ['public', 'viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The secret itself is never stored, nor any part of it: only its SHA-256. `person` is who holds the
 * key (the two-person rule compares people); `nameFold` is the name as compared (trimmed, NFKC,
 * case-folded), unique among live keys. A revocation is announced by a trigger (migration KeyOwners).
 */
@Entity('api_key')
@Index('api_key_live_name', ['nameFold'], { unique: true, where: 'revoked_at IS NULL' })
@Check('api_key_name_check', `length(name) BETWEEN 1 AND 100`)
@Check('api_key_person_check', `length(person) BETWEEN 1 AND 100`)
@Check('api_key_role_check', `role IN ('public', 'viewer', 'editor', 'admin')`)
@Check('api_key_key_hash_check', `key_hash ~ '^[0-9a-f]{64}$'`)
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') person: string;
  @Column('text') nameFold: string;
  @Column('text') role: Role;
  @Column('text', { unique: true }) keyHash: string;
  @Column('timestamptz', { default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}
