import { Module } from '@nestjs/common';
import { OrderHistoryController } from './history.controller';
import { OrderHistoryRepository } from './history.repository';
import { OrderHistoryService } from './history.service';

/** The historical import (ADR 0015): orders with their status changes at their original dates. */
@Module({ controllers: [OrderHistoryController], providers: [OrderHistoryService, OrderHistoryRepository] })
export class OrderHistoryModule {}
