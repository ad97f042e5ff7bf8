import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DraftTerm } from './draft-edit.domain';

/** One edit of a draft: who changed which parts when, and the version it made (the order page's "edited by"). */
@Entity({ name: 'order_draft_edits' })
export class OrderDraftEditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId: string;
  @Column('int') version: number;
  @Column('text', { array: true }) changed: DraftTerm[];
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column('text') by: string;
  @Column({ type: 'timestamptz' }) at: Date;
}
