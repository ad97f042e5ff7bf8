import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';
import { RecordPaymentDto, RecordedPaymentView } from '../receivables/receivables.dto';

/** The ERP's own event ids: opaque, but printable and bounded. */
export const ERP_EVENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** What the ERP pushes when money for one of our receivables arrives. */
export class ErpPaymentEventDto extends RecordPaymentDto {
  @ApiProperty({ example: 'erp-pay-000981', description: 'The ERP event id; a retry with the same id changes nothing' })
  @Matches(ERP_EVENT_ID_PATTERN, { message: 'eventId must be 1-128 letters, digits, ".", "_", ":" or "-"' })
  eventId: string;

  @ApiProperty({ format: 'uuid', description: 'Our receivable id, as sent to the ERP with the receivable', example: '3f6c2a1e-8b7d-4c5e-9f0a-1b2c3d4e5f60' })
  @IsUUID()
  receivableId: string;
}

export class ErpPaymentResultView {
  @ApiProperty() eventId: string;
  @ApiProperty({ description: 'True when this event id was already applied: nothing changed' }) duplicate: boolean;
  @ApiPropertyOptional({ type: RecordedPaymentView, description: 'Absent for a duplicate' }) recorded?: RecordedPaymentView;
}
