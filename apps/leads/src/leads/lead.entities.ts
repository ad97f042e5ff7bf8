import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Conversion, LeadStatus } from './lead.domain';

export type { Conversion };

@Entity({ name: 'leads' })
export class LeadEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') status: LeadStatus;
  @Column({ name: 'owner_rep_id', type: 'uuid', nullable: true }) ownerRepId: string | null;
  @Column({ type: 'text', nullable: true }) team: string | null;
  @Column({ name: 'rule_id', type: 'uuid', nullable: true }) ruleId: string | null;
  @Column({ name: 'unassigned_reason', type: 'text', nullable: true }) unassignedReason: string | null;
  @Column('text') source: string;
  @Column({ type: 'text', nullable: true }) campaign: string | null;
  @Column({ name: 'contact_name', type: 'text' }) contactName: string;
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @Column({ type: 'text', nullable: true }) company: string | null;
  @Column({ name: 'normalized_email', type: 'text', nullable: true, select: false }) normalizedEmail: string | null;
  @Column({ name: 'normalized_phone', type: 'text', nullable: true, select: false }) normalizedPhone: string | null;
  @Column({ name: 'normalized_company', type: 'text', nullable: true, select: false }) normalizedCompany: string | null;
  @Column({ name: 'company_size', type: 'text', nullable: true }) companySize: string | null;
  @Column({ type: 'text', nullable: true }) region: string | null;
  @Column({ name: 'product_interest', type: 'text', nullable: true }) productInterest: string | null;
  @Column({ type: 'text', nullable: true }) needs: string | null;
  @Column({ type: 'int', nullable: true }) score: number | null;
  @Column({ name: 'custom_fields', type: 'jsonb' }) customFields: Record<string, string | number | boolean>;
  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true }) assignedAt: Date | null;
  @Column({ name: 'first_follow_up_due_at', type: 'timestamptz', nullable: true }) firstFollowUpDueAt: Date | null;
  @Column({ name: 'first_followed_up_at', type: 'timestamptz', nullable: true }) firstFollowedUpAt: Date | null;
  @Column({ name: 'qualified_at', type: 'timestamptz', nullable: true }) qualifiedAt: Date | null;
  @Column({ name: 'disqualified_at', type: 'timestamptz', nullable: true }) disqualifiedAt: Date | null;
  @Column({ name: 'disqualify_reason', type: 'text', nullable: true }) disqualifyReason: string | null;
  @Column({ name: 'converted_at', type: 'timestamptz', nullable: true }) convertedAt: Date | null;
  @Column({ type: 'jsonb', nullable: true }) conversion: Conversion | null;
  @Column({ name: 'opportunity_id', type: 'uuid', nullable: true }) opportunityId: string | null;
  /** The customers service's account and contact this lead was resolved to; null until then (ADR 0018). */
  @Column({ name: 'account_id', type: 'uuid', nullable: true }) accountId: string | null;
  @Column({ name: 'contact_id', type: 'uuid', nullable: true }) contactId: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  /** When its personal data was erased; the business facts stay. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true }) erasedAt: Date | null;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'lead_touches' })
export class LeadTouchEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'lead_id', type: 'uuid' }) leadId: string;
  @Column('text') source: string;
  @Column({ type: 'text', nullable: true }) campaign: string | null;
  @Column('jsonb') submitted: Record<string, unknown>;
  @Column('text') by: string;
  @Column({ type: 'timestamptz' }) at: Date;
}

@Entity({ name: 'follow_ups' })
export class FollowUpEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'lead_id', type: 'uuid' }) leadId: string;
  @Column({ name: 'rep_id', type: 'uuid' }) repId: string;
  @Column({ type: 'text', nullable: true }) team: string | null;
  @Column('text') channel: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column('text') content: string;
  @Column({ name: 'customer_feedback', type: 'text', nullable: true }) customerFeedback: string | null;
  @Column({ name: 'next_action', type: 'text', nullable: true }) nextAction: string | null;
  @Column({ name: 'next_action_due_at', type: 'timestamptz', nullable: true }) nextActionDueAt: Date | null;
  @Column('text') by: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
