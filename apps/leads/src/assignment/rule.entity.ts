import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { RuleMatch, RuleTarget } from './assignment.domain';

@Entity({ name: 'assignment_rules' })
export class AssignmentRuleEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('int') position: number;
  @Column('jsonb') match: RuleMatch;
  @Column('jsonb') target: RuleTarget;
  @Column({ name: 'follow_up_hours', type: 'int' }) followUpHours: number;
  @Column('boolean') active: boolean;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'assignments' })
export class AssignmentEntity {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' }) id: string;
  @Column({ name: 'lead_id', type: 'uuid' }) leadId: string;
  @Column({ name: 'rep_id', type: 'uuid' }) repId: string;
  @Column({ name: 'previous_rep_id', type: 'uuid', nullable: true }) previousRepId: string | null;
  @Column({ name: 'rule_id', type: 'uuid', nullable: true }) ruleId: string | null;
  @Column('text') kind: 'initial' | 'sla_breach' | 'manual' | 'retry' | 'quality' | 'hand_over';
  @Column('text') reason: string;
  @Column({ type: 'timestamptz' }) deadline: Date;
  @Column({ name: 'breached_deadline', type: 'timestamptz', nullable: true }) breachedDeadline: Date | null;
  @Column('text') by: string;
  @Column({ type: 'timestamptz' }) at: Date;
}
