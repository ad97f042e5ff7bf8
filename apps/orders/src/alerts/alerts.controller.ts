import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, type AuthUser } from '@crm/http';
import { ListAlertsQuery } from './alerts.dto';
import { AlertsService } from './alerts.service';

const READERS = [Role.Admin, Role.SalesManager, Role.SalesRep] as const;

@ApiTags('alerts')
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Roles(...READERS)
  list(@CurrentUser() user: AuthUser, @Query() query: ListAlertsQuery) {
    return this.alerts.list(user, query);
  }

  @Post(':id/acknowledge')
  @Roles(...READERS)
  acknowledge(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.alerts.acknowledge(user, id);
  }
}
