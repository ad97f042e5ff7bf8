import { ApiProperty } from '@nestjs/swagger';
import { PersonalDataSubjectView } from '@crm/http';
import { CreditNoteView, PaymentView, ReceivableView } from '../receivables/receivables.dto';

class FinanceRecordsView {
  @ApiProperty({ type: [ReceivableView], description: "The receivables of the contact's orders" }) receivables: ReceivableView[];
  @ApiProperty({ type: [PaymentView] }) payments: PaymentView[];
  @ApiProperty({ type: [CreditNoteView] }) creditNotes: CreditNoteView[];
}

export class FinancePersonalDataView {
  @ApiProperty({ example: 'finance' }) service: 'finance';
  @ApiProperty({ type: PersonalDataSubjectView }) subject: PersonalDataSubjectView;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: FinanceRecordsView }) records: FinanceRecordsView;
}
