import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { DelayAlertsJob } from './delay-alerts.job';

@Module({ controllers: [AlertsController], providers: [AlertsService, DelayAlertsJob], exports: [AlertsService] })
export class AlertsModule {}
