import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MergeKind, MovedMembership } from './merge.domain';

/** One merge of two accounts or two contacts, kept for its undo and for the managers' record of merges. */
@Entity({ name: 'merges' })
export class MergeEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('varchar') kind: MergeKind;
  @Column({ name: 'survivor_id', type: 'uuid' }) survivorId: string;
  @Column({ name: 'merged_id', type: 'uuid' }) mergedId: string;
  @Column({ name: 'survivor_before', type: 'jsonb' }) survivorBefore: Record<string, unknown>;
  @Column({ name: 'merged_data', type: 'jsonb' }) mergedData: Record<string, unknown>;
  @Column({ name: 'moved_memberships', type: 'jsonb' }) moved: MovedMembership[];
  @Column({ name: 'merged_by', type: 'varchar' }) by: string;
  @Column({ name: 'merged_at', type: 'timestamptz' }) at: Date;
  @Column({ name: 'undone_by', type: 'varchar', nullable: true }) undoneBy: string | null;
  @Column({ name: 'undone_at', type: 'timestamptz', nullable: true }) undoneAt: Date | null;
}
