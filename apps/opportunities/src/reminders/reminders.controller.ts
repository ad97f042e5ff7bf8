import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, Role, Roles, type AuthUser } from '@crm/http';
import { ReminderView } from '../opportunities/dto/opportunity-view.dto';
import { ListRemindersQuery } from './reminders.dto';
import { RemindersService } from './reminders.service';

@ApiTags('reminders')
@Controller('api/v1/reminders')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiPageResponse(ReminderView, 'Newest first')
  list(@CurrentUser() user: AuthUser, @Query() query: ListRemindersQuery) {
    return this.reminders.list(user, query);
  }
}
