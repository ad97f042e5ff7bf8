import { Module, type DynamicModule } from '@nestjs/common';
import { CustomerLinksModule } from '../customer-links/customer-links.module';
import type { OpportunitiesSettings } from '../opportunities.settings';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ScoringModule } from '../scoring/scoring.module';
import { StrategiesController } from '../strategies/strategies.controller';
import { StrategiesService } from '../strategies/strategies.service';
import { StrategyRepository } from '../strategies/strategy.repository';
import { LeadFactsRepository } from './lead-facts.repository';
import { OpportunitiesConsumer } from './opportunities.consumer';
import { OpportunitiesController, PipelineSummaryController } from './opportunities.controller';
import { OPPORTUNITY_SETTINGS, OpportunitiesService } from './opportunities.service';
import { OpportunityRepository } from './opportunity.repository';

@Module({})
export class OpportunitiesModule {
  static forRoot(settings: OpportunitiesSettings): DynamicModule {
    return {
      module: OpportunitiesModule,
      imports: [PipelineModule, ScoringModule, CustomerLinksModule],
      controllers: [OpportunitiesController, PipelineSummaryController, StrategiesController, OpportunitiesConsumer],
      providers: [
        OpportunitiesService,
        OpportunityRepository,
        LeadFactsRepository,
        StrategiesService,
        StrategyRepository,
        { provide: OPPORTUNITY_SETTINGS, useValue: settings },
      ],
    };
  }
}
