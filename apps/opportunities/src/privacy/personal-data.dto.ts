import { ApiProperty } from '@nestjs/swagger';
import { PersonalDataSubjectView } from '@crm/http';

export class OpportunitiesPersonalDataView {
  @ApiProperty({ example: 'opportunities' }) service: string;
  @ApiProperty({ type: PersonalDataSubjectView }) subject: PersonalDataSubjectView;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({
    description:
      'every row held about the person, by kind (opportunities, opportunityLines, opportunityTasks, stageHistory, strategyRecords, handOvers, stageOverdueReminders, leadFacts, pendingCustomerLinks), columns in camelCase; empty arrays when there is nothing',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'object', additionalProperties: true } },
  })
  records: Record<string, Record<string, unknown>[]>;
}
