import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, PersonalDataQuery, Role, Roles, type AuthUser } from '@crm/http';
import { ErasureService } from './erasure.service';
import { CustomersPersonalDataView, EraseContactDto, ErasureView } from './personal-data.dto';
import { PersonalDataService } from './personal-data.service';

/** A person's rights over their data (ADR 0024): erasure and export, for admins only. */
@ApiTags('privacy')
@Controller('api/v1')
export class PersonalDataController {
  constructor(
    private readonly erasures: ErasureService,
    private readonly exports: PersonalDataService,
  ) {}

  /** Scrubs the person from the customers database, destroys their key and announces `contact.erased`; a repeat answers the same. */
  @Post('contacts/:id/erasure')
  @HttpCode(200)
  @Roles(Role.Admin)
  @ApiOperation({ operationId: 'eraseContact' })
  @ApiOkResponse({ type: ErasureView })
  @ApiConflictResponse({ description: 'MERGED_RECORD: the contact was merged into another; erase that one' })
  erase(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: EraseContactDto) {
    return this.erasures.eraseContact(user, id, dto.reason);
  }

  /** Everything the customers service holds about one contact or one lead (give exactly one). */
  @Get('personal-data/customers')
  @Roles(Role.Admin)
  @ApiOperation({ operationId: 'exportCustomersPersonalData' })
  @ApiOkResponse({ type: CustomersPersonalDataView })
  export(@Query() query: PersonalDataQuery) {
    return this.exports.export(query);
  }
}
