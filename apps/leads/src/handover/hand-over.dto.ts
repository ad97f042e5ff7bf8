import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HAND_OVER_KINDS, type HandOverKind } from '@crm/http';
import { LEAD_STATUSES, type LeadStatus } from '../leads/lead.domain';

/** The lead after a hand-over: the same body as `GET /api/v1/leads/{id}` without its touches and history. */
export class HandedOverLeadView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LEAD_STATUSES }) status: LeadStatus;
  @ApiProperty({ format: 'uuid', description: 'the rep who took it over' }) ownerRepId: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "the new owner's team" }) team: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'a lead still waiting for its first follow-up gets a fresh deadline' })
  firstFollowUpDueAt: Date | null;
  @ApiProperty({ description: 'the ETag version' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

/** A rep's hand-over: leads moved at once, opportunities and orders follow from `rep.handed_over` within moments. */
export class RepHandOverView {
  @ApiProperty({ format: 'uuid', description: 'the hand-over id: GET /api/v1/hand-overs/{id}, and handOverId on every record event it caused' })
  id: string;
  @ApiProperty({ format: 'uuid' }) fromRepId: string;
  @ApiProperty({ format: 'uuid' }) toRepId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: HAND_OVER_KINDS, isArray: true }) kinds: HandOverKind[];
  @ApiProperty({
    description:
      "open leads moved in this request. Opportunities and orders move in their own services moments later: GET /api/v1/opportunities?repId={fromRepId}&status=open and GET /api/v1/orders?repId={fromRepId} then list only the rep's closed records",
  })
  leadsMoved: number;
  @ApiProperty({ description: 'who handed the work over (JWT sub)' }) by: string;
  @ApiProperty({ format: 'date-time' }) at: Date;
}
