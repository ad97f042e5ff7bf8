import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

@Entity({ name: 'contacts' })
export class ContactEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column({ type: 'text', nullable: true }) title: string | null;
  @Column('text', { array: true }) emails: string[];
  @Column('text', { array: true }) phones: string[];
  @Column({ name: 'preferred_channel', type: 'text', nullable: true }) preferredChannel: string | null;
  @Column({ name: 'owner_rep_id', type: 'uuid', nullable: true }) ownerRepId: string | null;
  @Column({ type: 'text', nullable: true }) team: string | null;
  /** Set when the contact was merged into another: GET still answers it so a stale link can follow. */
  @Column({ name: 'merged_into', type: 'uuid', nullable: true }) mergedInto: string | null;
  @Column({ name: 'merged_at', type: 'timestamptz', nullable: true }) mergedAt: Date | null;
  /** Set when the person's data was erased: the row keeps its links and dates, its personal values read "[erased]". */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true }) erasedAt: Date | null;
  @Column({ name: 'search_text', type: 'text', select: false }) searchText: string;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** One membership of a person in an account; `until` is set when it ends. */
export interface Membership {
  accountId: string;
  accountName: string;
  since: Date;
  until: Date | null;
}
