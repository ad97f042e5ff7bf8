import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, type AuthUser } from '@crm/http';
import { ListRemindersQuery } from './reminders.dto';
import { RemindersService } from './reminders.service';

@ApiTags('reminders')
@Controller('api/v1/reminders')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  list(@CurrentUser() user: AuthUser, @Query() query: ListRemindersQuery) {
    return this.reminders.list(user, query);
  }
}
