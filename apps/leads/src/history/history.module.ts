import { Module } from '@nestjs/common';
import { LeadHistoryController } from './history.controller';
import { LeadHistoryRepository } from './history.repository';
import { LeadHistoryService } from './history.service';

/** The historical import (ADR 0015): leads with their original dates. */
@Module({ controllers: [LeadHistoryController], providers: [LeadHistoryService, LeadHistoryRepository] })
export class LeadHistoryModule {}
