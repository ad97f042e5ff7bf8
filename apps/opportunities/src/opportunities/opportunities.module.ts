import { Module, type DynamicModule } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ScoringModule } from '../scoring/scoring.module';
import { StrategiesController } from '../strategies/strategies.controller';
import { StrategiesService } from '../strategies/strategies.service';
import { OpportunitiesConsumer } from './opportunities.consumer';
import { OpportunitiesController, PipelineSummaryController } from './opportunities.controller';
import { OPPORTUNITY_SETTINGS, OpportunitiesService, type OpportunitySettings } from './opportunities.service';

@Module({})
export class OpportunitiesModule {
  static forRoot(settings: OpportunitySettings): DynamicModule {
    return {
      module: OpportunitiesModule,
      imports: [PipelineModule, ScoringModule],
      controllers: [OpportunitiesController, PipelineSummaryController, StrategiesController, OpportunitiesConsumer],
      providers: [OpportunitiesService, StrategiesService, { provide: OPPORTUNITY_SETTINGS, useValue: settings }],
    };
  }
}
