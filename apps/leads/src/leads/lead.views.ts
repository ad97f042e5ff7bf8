import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { FollowUpView } from './leads.dto';
import { LEAD_STATUSES } from './lead.domain';
import { nullableId, nullableText, nullableTime } from '@crm/http';

/** Flat custom values of a lead, as its channel submitted them. */
export const CUSTOM_FIELDS_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  example: { budget: 'Q3', 预算: '50万' },
};

export class ConversionView {
  @ApiPropertyOptional({ example: '12000.00' }) expectedAmount?: string;
  @ApiPropertyOptional({ example: 'CNY' }) currency?: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) expectedCloseDate?: string;
  @ApiProperty({ type: [String], example: ['水泵 200 W × 40'] }) productNeeds: string[];
  @ApiProperty({ description: 'who converted it (JWT sub)' }) by: string;
}

/** A lead, as every lead route answers it. */
export class LeadView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LEAD_STATUSES }) status: string;
  @ApiProperty(nullableId) ownerRepId: string | null;
  @ApiProperty(nullableText('east')) team: string | null;
  @ApiProperty({ ...nullableId, description: 'the assignment rule that routed it' }) ruleId: string | null;
  @ApiProperty({ ...nullableText(), description: 'why nobody could take it, while it waits unassigned' }) unassignedReason: string | null;
  @ApiProperty({ example: 'web_form' }) source: string;
  @ApiProperty(nullableText('Canton Fair 2026')) campaign: string | null;
  @ApiProperty({ example: '李伟' }) contactName: string;
  @ApiProperty(nullableText('li.wei@acme.example')) email: string | null;
  @ApiProperty(nullableText('+86 138 0013 8000')) phone: string | null;
  @ApiProperty(nullableText('上海艾克美贸易有限公司')) company: string | null;
  @ApiProperty(nullableText('medium')) companySize: string | null;
  @ApiProperty(nullableText('east')) region: string | null;
  @ApiProperty(nullableText('pumps')) productInterest: string | null;
  @ApiProperty(nullableText()) needs: string | null;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: 100, description: 'lead quality score' }) score: number | null;
  @ApiProperty(CUSTOM_FIELDS_SCHEMA) customFields: Record<string, string | number | boolean>;
  @ApiProperty(nullableTime) assignedAt: string | null;
  @ApiProperty(nullableTime) firstFollowUpDueAt: string | null;
  @ApiProperty(nullableTime) firstFollowedUpAt: string | null;
  @ApiProperty(nullableTime) qualifiedAt: string | null;
  @ApiProperty(nullableTime) disqualifiedAt: string | null;
  @ApiProperty(nullableText()) disqualifyReason: string | null;
  @ApiProperty(nullableTime) convertedAt: string | null;
  @ApiProperty({ type: ConversionView, nullable: true }) conversion: ConversionView | null;
  @ApiProperty({ ...nullableId, description: 'the opportunity it was converted into' }) opportunityId: string | null;
  @ApiProperty({ ...nullableId, description: 'the customer account it was resolved to' }) accountId: string | null;
  @ApiProperty({ ...nullableId, description: 'the customer contact it was resolved to' }) contactId: string | null;
  @ApiProperty({ description: 'who captured it (JWT sub, or the channel)' }) createdBy: string;
  @ApiProperty({ ...nullableTime, description: 'when its personal data was erased (the contact name reads "[erased]")' }) erasedAt: string | null;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to act on this version' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** One submission of the lead by a channel: a returning person adds a touch to their open lead. */
export class LeadTouchView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ example: 'web_form' }) source: string;
  @ApiProperty(nullableText()) campaign: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'what was submitted' }) submitted: Record<string, unknown>;
  @ApiProperty() by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class LeadAssignmentView {
  @ApiProperty({ example: '42', description: 'ascending in the order of assignment' }) id: string;
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty(nullableId) previousRepId: string | null;
  @ApiProperty(nullableId) ruleId: string | null;
  @ApiProperty({ enum: ['initial', 'sla_breach', 'manual', 'retry', 'quality'] }) kind: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time', description: 'first follow-up due by' }) deadline: string;
  @ApiProperty(nullableTime) breachedDeadline: string | null;
  @ApiProperty() by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** A lead with its touches, assignments and follow-ups, oldest first. */
export class LeadDetailView extends LeadView {
  @ApiProperty({ type: [LeadTouchView] }) touches: LeadTouchView[];
  @ApiProperty({ type: [LeadAssignmentView] }) assignments: LeadAssignmentView[];
  @ApiProperty({ type: [FollowUpView] }) followUps: FollowUpView[];
}

/** A capture: a new lead, or the open lead of the same person it was merged into. */
export class CaptureResultView {
  @ApiProperty({ description: 'true: merged into the open lead of the same person' }) merged: boolean;
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiPropertyOptional({ type: LeadView, description: 'left out when the caller may not see it (routed to another rep)' }) lead?: LeadView;
}
