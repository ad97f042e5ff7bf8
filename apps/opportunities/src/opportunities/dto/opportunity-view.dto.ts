import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ExitCriteriaView } from '../../pipeline/pipeline.dto';
import { nullableId, nullableText, nullableTime } from '@crm/http';

export class OpportunityCustomerView {
  @ApiProperty({ example: '李伟' }) name: string;
  @ApiPropertyOptional({ example: '上海艾克美贸易有限公司' }) company?: string;
  @ApiPropertyOptional({ example: 'li.wei@acme.example' }) email?: string;
  @ApiPropertyOptional({ example: '+86 138 0013 8000' }) phone?: string;
}

/** One factor of the score: its weight, the opportunity's value, and what it added. */
export class FactorScoreView {
  @ApiProperty({ example: 'engagement' }) factor: string;
  @ApiProperty() weight: number;
  @ApiProperty() value: number;
  @ApiProperty() contribution: number;
  @ApiProperty() explanation: string;
}

/** An opportunity, as lists answer it. */
export class OpportunityView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ ...nullableId, description: 'the lead it was converted from' }) leadId: string | null;
  @ApiProperty({ format: 'uuid' }) pipelineId: string;
  @ApiProperty({ example: 'proposal' }) stage: string;
  @ApiProperty({ format: 'date-time' }) stageEnteredAt: string;
  @ApiProperty({ enum: ['open', 'won', 'lost'] }) status: string;
  @ApiProperty({ format: 'uuid', description: 'owner rep' }) repId: string;
  @ApiProperty(nullableText('east')) team: string | null;
  @ApiProperty({ type: OpportunityCustomerView }) customer: OpportunityCustomerView;
  @ApiProperty(nullableId) accountId: string | null;
  @ApiProperty(nullableId) contactId: string | null;
  @ApiProperty(nullableText('east')) region: string | null;
  @ApiProperty(nullableText('pumps')) productLine: string | null;
  @ApiProperty(nullableText('medium')) companySize: string | null;
  @ApiProperty({ type: [String] }) productNeeds: string[];
  @ApiProperty({ example: '25000.00', description: 'decimal string' }) expectedAmount: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: '2026-06-30', description: 'a business-calendar date' }) expectedCloseDate: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'custom fields exit criteria check' }) fields: Record<string, string>;
  @ApiProperty({ type: 'integer', description: 'follow-ups and tasks so far' }) activityCount: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) score: number;
  @ApiProperty({ type: [FactorScoreView] }) scoreFactors: FactorScoreView[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'the scoring model version that scored it' }) modelVersion: number | null;
  @ApiProperty(nullableTime) scoredAt: string | null;
  @ApiProperty({ ...nullableText('24500.00'), description: 'decimal string, once won' }) wonAmount: string | null;
  @ApiProperty(nullableText('NET30')) paymentTerms: string | null;
  @ApiProperty(nullableText()) lostReason: string | null;
  @ApiProperty(nullableText()) competitor: string | null;
  @ApiProperty(nullableTime) closedAt: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to act on this version' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class OpportunityLineView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) opportunityId: string;
  @ApiProperty({ type: 'integer' }) position: number;
  @ApiProperty({ example: 'PUMP-200' }) sku: string;
  @ApiProperty({ example: '离心泵 200 W' }) productName: string;
  @ApiProperty({ type: 'integer' }) quantity: number;
  @ApiProperty({ example: '199.90' }) unitPrice: string;
  @ApiProperty({ example: '10.00', description: 'amount off the whole line' }) discount: string;
  @ApiProperty({ example: '7986.00', description: 'quantity × unit price − discount' }) lineTotal: string;
}

export class OpportunityTaskView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) opportunityId: string;
  @ApiProperty({ example: 'discovery_call' }) key: string;
  @ApiProperty() title: string;
  @ApiProperty(nullableTime) dueAt: string | null;
  @ApiProperty(nullableTime) doneAt: string | null;
  @ApiProperty(nullableText()) doneBy: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class StageMoveView {
  @ApiProperty({ example: '7' }) id: string;
  @ApiProperty({ format: 'uuid' }) opportunityId: string;
  @ApiProperty(nullableText('qualification')) fromStage: string | null;
  @ApiProperty({ example: 'proposal' }) toStage: string;
  @ApiProperty() by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** An opportunity with its stage's probability, deadline and exit criteria, its lines, tasks and stage moves. */
export class OpportunityDetailView extends OpportunityView {
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: "the stage's win probability" }) winProbability: number | null;
  @ApiProperty({ ...nullableTime, description: 'when the stage time limit runs out (open opportunities)' }) stageDueAt: string | null;
  @ApiProperty({ type: ExitCriteriaView, description: 'what must be done before the stage is left' }) exitCriteria: ExitCriteriaView;
  @ApiProperty({ type: [OpportunityLineView] }) lines: OpportunityLineView[];
  @ApiProperty({ type: [OpportunityTaskView] }) tasks: OpportunityTaskView[];
  @ApiProperty({ type: [StageMoveView], description: 'stage moves, oldest first' }) history: StageMoveView[];
}

export class StrategyRecordView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) opportunityId: string;
  @ApiProperty({ ...nullableId, description: 'the record this one adjusts' }) replacesId: string | null;
  @ApiProperty({ type: [String], example: ['PUMP-200', 'VALVE-10'] }) products: string[];
  @ApiProperty(nullableText('volume price tier B')) pricing: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 7.5 }) discountPercent: number | null;
  @ApiProperty({ type: [String] }) promotions: string[];
  @ApiProperty(nullableText()) rationale: string | null;
  @ApiProperty() by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class StrategyListView {
  @ApiProperty({ type: [StrategyRecordView], description: 'first to latest' }) items: StrategyRecordView[];
}

/** An opportunity that stayed in its stage past the stage's time limit. */
export class ReminderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) opportunityId: string;
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty(nullableText('east')) team: string | null;
  @ApiProperty({ example: 'negotiation' }) stage: string;
  @ApiProperty({ format: 'date-time' }) stageEnteredAt: string;
  @ApiProperty({ type: 'integer' }) limitHours: number;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ format: 'date-time' }) detectedAt: string;
}
