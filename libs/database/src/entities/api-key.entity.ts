import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** public ⊂ viewer ⊂ editor ⊂ admin: a public key reads only publishable items (never internal ones). */
export const ROLES = ['public', 'viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The secret itself is never stored, nor any part of it: only its SHA-256. */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') role: Role;
  @Column('text', { unique: true }) keyHash: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { nullable: true }) revokedAt: Date | null;
}
