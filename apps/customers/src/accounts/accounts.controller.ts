import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, IfMatch, Idempotent, Role, Roles, type AuthUser } from '@crm/http';
import { AllowDuplicate, AllowDuplicateDoc } from '../duplicate-flag';
import { AccountView, CreateAccountDto, ListAccountsQuery, UpdateAccountDto } from './accounts.dto';
import { AccountsService } from './accounts.service';

const SALES = [Role.Admin, Role.SalesManager, Role.SalesRep] as const;

@ApiTags('accounts')
@Controller('api/v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @Roles(...SALES)
  @Idempotent()
  @AllowDuplicateDoc()
  @ApiCreatedResponse({ type: AccountView })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateAccountDto, @AllowDuplicate() allowDuplicate?: boolean) {
    return this.accounts.create(user, dto, !!allowDuplicate);
  }

  @Get()
  @Roles(...SALES)
  @ApiPageResponse(AccountView)
  list(@CurrentUser() user: AuthUser, @Query() query: ListAccountsQuery) {
    return this.accounts.list(user, query);
  }

  @Get(':id')
  @Roles(...SALES)
  @ApiOkResponse({ type: AccountView })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.get(user, id);
  }

  @Patch(':id')
  @Roles(...SALES)
  @AllowDuplicateDoc()
  @ApiOkResponse({ type: AccountView })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAccountDto,
    @IfMatch() expected: number,
    @AllowDuplicate() allowDuplicate?: boolean,
  ) {
    return this.accounts.update(user, id, dto, expected, !!allowDuplicate);
  }
}
