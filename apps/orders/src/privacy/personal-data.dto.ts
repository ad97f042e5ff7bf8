import { ApiProperty } from '@nestjs/swagger';
import { PersonalDataSubjectView } from '@crm/http';

export class OrdersPersonalDataView {
  @ApiProperty({ example: 'orders' }) service: string;
  @ApiProperty({ type: PersonalDataSubjectView }) subject: PersonalDataSubjectView;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({
    description:
      'every row held about the person, by kind (orders, orderLines, statusHistory, tracking, feedback, feedbackRequests, draftEdits, handOvers, alerts), columns in camelCase; empty arrays when there is nothing',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: true } },
  })
  records: Record<string, Record<string, unknown>[]>;
}
