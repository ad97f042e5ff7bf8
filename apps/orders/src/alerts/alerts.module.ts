import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { DelayAlertsJob } from './delay-alerts.job';

@Module({ controllers: [AlertsController], providers: [AlertsRepository, AlertsService, DelayAlertsJob], exports: [AlertsRepository] })
export class AlertsModule {}
