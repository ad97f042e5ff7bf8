import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { CreditNoteView, PaymentView, ReceivableView } from '../receivables/receivables.dto';

export class FinancePersonalDataQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The contact (customers service) whose data is exported; finance holds nothing by lead' })
  @IsUUID()
  contactId: string;
}

class FinanceSubjectView {
  @ApiPropertyOptional({ format: 'uuid' }) contactId?: string;
}

class FinanceRecordsView {
  @ApiProperty({ type: [ReceivableView], description: "The receivables of the contact's orders" }) receivables: ReceivableView[];
  @ApiProperty({ type: [PaymentView] }) payments: PaymentView[];
  @ApiProperty({ type: [CreditNoteView] }) creditNotes: CreditNoteView[];
}

export class FinancePersonalDataView {
  @ApiProperty({ example: 'finance' }) service: 'finance';
  @ApiProperty({ type: FinanceSubjectView }) subject: FinanceSubjectView;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: FinanceRecordsView }) records: FinanceRecordsView;
}
