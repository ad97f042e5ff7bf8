import { Module } from '@nestjs/common';
import { CustomerLinksModule } from '../customer-links/customer-links.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { OpportunityHistoryController } from './history.controller';
import { OpportunityHistoryRepository } from './history.repository';
import { OpportunityHistoryService } from './history.service';

/** The historical import (ADR 0015): opportunities with their stage moves at their original dates. */
@Module({
  imports: [PipelineModule, CustomerLinksModule],
  controllers: [OpportunityHistoryController],
  providers: [OpportunityHistoryService, OpportunityHistoryRepository],
})
export class OpportunityHistoryModule {}
