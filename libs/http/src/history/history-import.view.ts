import { ApiProperty } from '@nestjs/swagger';

/** What became of one record of a historical import. */
export class HistoryRecordResultView {
  @ApiProperty() externalId: string;
  @ApiProperty({ format: 'uuid', description: 'its id here: a name-based UUID of its external id (historicalId in @crm/contracts)' }) id: string;
  @ApiProperty({ enum: ['imported', 'already_imported'] }) outcome: 'imported' | 'already_imported';
}

/** The answer of every historical import (leads, opportunities, orders). */
export class HistoryImportResultView {
  @ApiProperty() imported: number;
  @ApiProperty({ description: 'records whose external id was imported before: left as they were' }) alreadyImported: number;
  @ApiProperty({ type: [HistoryRecordResultView] }) records: HistoryRecordResultView[];
}

export type HistoryRecordResult = HistoryRecordResultView;
export type HistoryImportResult = HistoryImportResultView;

/** Tallies the outcomes of an import's records. */
export function historyImportResult(records: HistoryRecordResult[]): HistoryImportResult {
  const imported = records.filter((r) => r.outcome === 'imported').length;
  return { imported, alreadyImported: records.length - imported, records };
}
