import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RuleEntity, RuleField } from '../duplicate.domain';
import type { ScanStatus } from './scan.domain';

/** A pair of records the duplicate scan found; `firstId` < `secondId`. */
@Entity({ name: 'duplicate_candidates' })
export class DuplicateCandidateEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('varchar') entity: RuleEntity;
  @Column({ name: 'first_id', type: 'uuid' }) firstId: string;
  @Column({ name: 'second_id', type: 'uuid' }) secondId: string;
  @Column('text', { array: true }) fields: RuleField[];
  @Column({ name: 'rule_ids', type: 'uuid', array: true }) ruleIds: string[];
  @Column({ type: 'numeric', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) score: number;
  @Column('varchar') status: ScanStatus;
  @Column({ name: 'found_at', type: 'timestamptz' }) foundAt: Date;
  @Column({ name: 'last_seen_at', type: 'timestamptz' }) lastSeenAt: Date;
  @Column({ name: 'decided_by', type: 'varchar', nullable: true }) decidedBy: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
}
