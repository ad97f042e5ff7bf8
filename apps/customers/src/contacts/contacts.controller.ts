import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, IfMatch, Idempotent, Role, Roles, type AuthUser } from '@crm/http';
import { AllowDuplicate, AllowDuplicateDoc } from '../duplicate-flag';
import { ContactDetailView, ContactView, CreateContactDto, ListContactsQuery, UpdateContactDto } from './contacts.dto';
import { ContactsService } from './contacts.service';

const SALES = [Role.Admin, Role.SalesManager, Role.SalesRep] as const;

@ApiTags('contacts')
@Controller('api/v1/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Post()
  @Roles(...SALES)
  @Idempotent()
  @AllowDuplicateDoc()
  @ApiCreatedResponse({ type: ContactDetailView })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateContactDto, @AllowDuplicate() allowDuplicate?: boolean) {
    return this.contacts.create(user, dto, !!allowDuplicate);
  }

  @Get()
  @Roles(...SALES)
  @ApiPageResponse(ContactView)
  list(@CurrentUser() user: AuthUser, @Query() query: ListContactsQuery) {
    return this.contacts.list(user, query);
  }

  @Get(':id')
  @Roles(...SALES)
  @ApiOkResponse({ type: ContactDetailView })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.contacts.get(user, id);
  }

  @Patch(':id')
  @Roles(...SALES)
  @AllowDuplicateDoc()
  @ApiOkResponse({ type: ContactDetailView })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateContactDto,
    @IfMatch() expected: number,
    @AllowDuplicate() allowDuplicate?: boolean,
  ) {
    return this.contacts.update(user, id, dto, expected, !!allowDuplicate);
  }
}
