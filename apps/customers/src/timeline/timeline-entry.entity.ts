import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EntryRecordKind } from './timeline.domain';

/** One event about a customer (migration 1765065600000); the id is the event's. */
@Entity({ name: 'timeline_entries' })
export class TimelineEntryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('timestamptz') at: Date;
  @Column('varchar') kind: string;
  @Column({ name: 'record_kind', type: 'varchar' }) recordKind: EntryRecordKind;
  @Column({ name: 'record_id', type: 'uuid' }) recordId: string;
  @Column({ name: 'account_id', type: 'uuid', nullable: true }) accountId: string | null;
  @Column({ name: 'contact_id', type: 'uuid', nullable: true }) contactId: string | null;
  @Column({ name: 'rep_id', type: 'uuid', nullable: true }) repId: string | null;
  @Column({ type: 'varchar', nullable: true }) team: string | null;
  @Column('jsonb') detail: Record<string, unknown>;
}
