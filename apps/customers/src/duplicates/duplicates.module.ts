import { Module, type DynamicModule } from '@nestjs/common';
import { DuplicateRulesController } from './duplicate-rules.controller';
import { DuplicatesRepository } from './duplicates.repository';
import { DUPLICATE_CANDIDATES, DuplicatesService } from './duplicates.service';
import { CandidatesController } from './scan/candidates.controller';
import { CandidatesRepository } from './scan/candidates.repository';
import { DUPLICATE_SCAN_CRON, DuplicateScanJob } from './scan/duplicate-scan.job';
import { DuplicateScanService } from './scan/duplicate-scan.service';

@Module({})
export class DuplicatesModule {
  /**
   * `duplicateCandidates`: how many matching records a check names at most (CUSTOMERS_DUPLICATE_CANDIDATES);
   * `duplicateScanCron`: when the scan runs (CUSTOMERS_DUPLICATE_SCAN_CRON).
   */
  static forRoot(settings: { duplicateCandidates: number; duplicateScanCron: string }): DynamicModule {
    return {
      module: DuplicatesModule,
      global: true,
      controllers: [DuplicateRulesController, CandidatesController],
      providers: [
        DuplicatesRepository,
        DuplicatesService,
        CandidatesRepository,
        DuplicateScanService,
        DuplicateScanJob,
        { provide: DUPLICATE_CANDIDATES, useValue: settings.duplicateCandidates },
        { provide: DUPLICATE_SCAN_CRON, useValue: settings.duplicateScanCron },
      ],
      exports: [DuplicatesService, DuplicateScanService],
    };
  }
}
