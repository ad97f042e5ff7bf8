import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn, type ValueTransformer } from 'typeorm';
import { amountColumn as amount } from '@crm/money';
import type { ExitCriteria } from '../pipeline/pipeline.domain';
import type { CustomerInfo, OpportunityStatus } from './opportunity.domain';
import type { FactorScore, FeatureVector } from '../scoring/scoring.domain';

/** Scores and probabilities are not money: plain numbers in the API. */
const numeric: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

export type { CustomerInfo, OpportunityStatus };

@Entity({ name: 'opportunities' })
export class OpportunityEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'lead_id', type: 'uuid', nullable: true }) leadId: string | null;
  @Column({ name: 'pipeline_id', type: 'uuid' }) pipelineId: string;
  @Column('text') stage: string;
  @Column({ name: 'stage_entered_at', type: 'timestamptz' }) stageEnteredAt: Date;
  @Column('text') status: OpportunityStatus;
  @Column({ name: 'rep_id', type: 'uuid' }) repId: string;
  @Column({ type: 'text', nullable: true }) team: string | null;
  @Column('jsonb') customer: CustomerInfo;
  /** The customers service's account and contact (ADR 0018); null until known. */
  @Column({ name: 'account_id', type: 'uuid', nullable: true }) accountId: string | null;
  @Column({ name: 'contact_id', type: 'uuid', nullable: true }) contactId: string | null;
  @Column({ name: 'account_key', type: 'text', nullable: true, select: false }) accountKey: string | null;
  @Column({ type: 'text', nullable: true }) region: string | null;
  @Column({ name: 'product_line', type: 'text', nullable: true }) productLine: string | null;
  @Column({ name: 'company_size', type: 'text', nullable: true }) companySize: string | null;
  @Column({ name: 'product_needs', type: 'jsonb' }) productNeeds: string[];
  @Column({ name: 'expected_amount', type: 'numeric', precision: 19, scale: 4, transformer: amount }) expectedAmount: string;
  @Column('char', { length: 3 }) currency: string;
  @Column({ name: 'expected_close_date', type: 'date' }) expectedCloseDate: string;
  @Column('jsonb') fields: Record<string, string>;
  @Column({ name: 'activity_count', type: 'int' }) activityCount: number;
  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numeric }) score: number;
  @Column({ name: 'score_factors', type: 'jsonb' }) scoreFactors: FactorScore[];
  @Column({ type: 'jsonb', nullable: true, select: false }) features: FeatureVector | null;
  @Column({ name: 'model_version', type: 'int', nullable: true }) modelVersion: number | null;
  @Column({ name: 'scored_at', type: 'timestamptz', nullable: true }) scoredAt: Date | null;
  @Column({ name: 'won_amount', type: 'numeric', precision: 19, scale: 4, nullable: true, transformer: amount }) wonAmount: string | null;
  @Column({ name: 'payment_terms', type: 'text', nullable: true }) paymentTerms: string | null;
  @Column({ name: 'lost_reason', type: 'text', nullable: true }) lostReason: string | null;
  @Column({ type: 'text', nullable: true }) competitor: string | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'opportunity_lines' })
export class OpportunityLineEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'opportunity_id', type: 'uuid' }) opportunityId: string;
  @Column('smallint') position: number;
  @Column('text') sku: string;
  @Column({ name: 'product_name', type: 'text' }) productName: string;
  @Column('int') quantity: number;
  @Column({ name: 'unit_price', type: 'numeric', precision: 19, scale: 4, transformer: amount }) unitPrice: string;
  @Column({ type: 'numeric', precision: 19, scale: 4, transformer: amount }) discount: string;
}

@Entity({ name: 'opportunity_tasks' })
export class OpportunityTaskEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'opportunity_id', type: 'uuid' }) opportunityId: string;
  @Column('text') key: string;
  @Column('text') title: string;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt: Date | null;
  @Column({ name: 'done_at', type: 'timestamptz', nullable: true }) doneAt: Date | null;
  @Column({ name: 'done_by', type: 'text', nullable: true }) doneBy: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity({ name: 'stage_history' })
export class StageHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'opportunity_id', type: 'uuid' }) opportunityId: string;
  @Column({ name: 'from_stage', type: 'text', nullable: true }) fromStage: string | null;
  @Column({ name: 'to_stage', type: 'text' }) toStage: string;
  @Column('text') by: string;
  @Column({ type: 'timestamptz' }) at: Date;
}

@Entity({ name: 'strategy_records' })
export class StrategyRecordEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'opportunity_id', type: 'uuid' }) opportunityId: string;
  @Column({ name: 'replaces_id', type: 'uuid', nullable: true }) replacesId: string | null;
  @Column('jsonb') products: string[];
  @Column({ type: 'text', nullable: true }) pricing: string | null;
  @Column({ name: 'discount_percent', type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: numeric }) discountPercent: number | null;
  @Column('jsonb') promotions: string[];
  @Column({ type: 'text', nullable: true }) rationale: string | null;
  @Column('text') by: string;
  @Column({ type: 'timestamptz' }) at: Date;
}

@Entity({ name: 'pipelines' })
export class PipelineEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column({ name: 'is_default', type: 'boolean' }) isDefault: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity({ name: 'stages' })
export class StageEntity {
  @PrimaryColumn({ name: 'pipeline_id', type: 'uuid' }) pipelineId: string;
  @PrimaryColumn('text') key: string;
  @Column('text') name: string;
  @Column('smallint') position: number;
  @Column({ name: 'win_probability', type: 'numeric', precision: 5, scale: 4, transformer: numeric }) winProbability: number;
  @Column({ type: 'text', nullable: true }) outcome: 'won' | 'lost' | null;
  @Column({ name: 'exit_criteria', type: 'jsonb' }) exitCriteria: ExitCriteria;
  @Column({ name: 'time_limit_hours', type: 'int', nullable: true }) timeLimitHours: number | null;
}

@Entity({ name: 'scoring_models' })
export class ScoringModelEntity {
  @PrimaryGeneratedColumn() version: number;
  @Column('text') kind: 'weights' | 'learned';
  @Column({ type: 'jsonb', nullable: true }) weights: FeatureVector | null;
  @Column({ type: 'jsonb', nullable: true }) model: { intercept: number; coefficients: FeatureVector; means: FeatureVector; stds: FeatureVector } | null;
  @Column({ type: 'jsonb', nullable: true }) importances: { factor: string; coefficient: number; importance: number }[] | null;
  @Column({ name: 'training_size', type: 'int', nullable: true }) trainingSize: number | null;
  @Column({ name: 'holdout_size', type: 'int', nullable: true }) holdoutSize: number | null;
  @Column({ name: 'holdout_accuracy', type: 'double precision', nullable: true }) holdoutAccuracy: number | null;
  @Column({ name: 'trained_at', type: 'timestamptz', nullable: true }) trainedAt: Date | null;
  @Column('boolean') active: boolean;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity({ name: 'stage_overdue_reminders' })
export class ReminderEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'opportunity_id', type: 'uuid' }) opportunityId: string;
  @Column({ name: 'rep_id', type: 'uuid' }) repId: string;
  @Column({ type: 'text', nullable: true }) team: string | null;
  @Column('text') stage: string;
  @Column({ name: 'stage_entered_at', type: 'timestamptz' }) stageEnteredAt: Date;
  @Column({ name: 'limit_hours', type: 'int' }) limitHours: number;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ name: 'detected_at', type: 'timestamptz' }) detectedAt: Date;
}

export const ENTITIES = [
  OpportunityEntity,
  OpportunityLineEntity,
  OpportunityTaskEntity,
  StageHistoryEntity,
  StrategyRecordEntity,
  PipelineEntity,
  StageEntity,
  ScoringModelEntity,
  ReminderEntity,
];
