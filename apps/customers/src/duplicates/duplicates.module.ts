import { Module, type DynamicModule } from '@nestjs/common';
import { DuplicateRulesController } from './duplicate-rules.controller';
import { DuplicatesRepository } from './duplicates.repository';
import { DUPLICATE_CANDIDATES, DuplicatesService } from './duplicates.service';

@Module({})
export class DuplicatesModule {
  /** `candidates`: how many matching records a check names at most (CUSTOMERS_DUPLICATE_CANDIDATES). */
  static forRoot(settings: { duplicateCandidates: number }): DynamicModule {
    return {
      module: DuplicatesModule,
      global: true,
      controllers: [DuplicateRulesController],
      providers: [DuplicatesRepository, DuplicatesService, { provide: DUPLICATE_CANDIDATES, useValue: settings.duplicateCandidates }],
      exports: [DuplicatesService],
    };
  }
}
