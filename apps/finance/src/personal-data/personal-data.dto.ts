import { ApiProperty, PickType } from '@nestjs/swagger';
import { PersonalDataSubjectView } from '@crm/http';
import { CreditNoteView, PaymentView, ReceivableView } from '../receivables/receivables.dto';

/** Finance holds nothing by lead: its exports are of a contact only. */
class FinanceSubjectView extends PickType(PersonalDataSubjectView, ['contactId'] as const) {}

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
