import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, PersonalDataQuery, Role, Roles, type AuthUser } from '@crm/http';
import { LeadView } from '../leads/lead.views';
import { LeadErasureService } from './lead-erasure.service';
import { PersonalDataService } from './personal-data.service';
import { EraseLeadDto, LeadsPersonalDataView } from './privacy.dto';

/** A person's rights over their data (PIPL art. 45 and 47, GDPR art. 15 and 17): erasure and export, for admins. */
@ApiTags('privacy')
@Controller('api/v1')
export class LeadPrivacyController {
  constructor(
    private readonly erasure: LeadErasureService,
    private readonly personalData: PersonalDataService,
  ) {}

  /**
   * Erases the personal data of a lead that never became a contact: its name reads "[erased]", contact details,
   * needs, follow-up texts and repeat submissions go, business facts stay; `lead.erased` tells the other services.
   * A repeated request answers the erased lead again.
   */
  @Post('leads/:id/erasure')
  @HttpCode(200)
  @Roles(Role.Admin)
  @ApiOperation({ operationId: 'eraseLead' })
  @ApiOkResponse({ type: LeadView, description: 'The lead as it is now kept' })
  @ApiConflictResponse({ description: 'LEAD_IS_CONTACT: the lead became a contact (`contactId`); erase the contact in the customers service' })
  erase(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: EraseLeadDto) {
    return this.erasure.eraseOnRequest(user, id, dto.reason);
  }

  /** Everything the leads service holds about one person (a contact or a lead); empty lists when nothing. */
  @Get('personal-data/leads')
  @Roles(Role.Admin)
  @ApiOperation({ operationId: 'exportLeadsPersonalData' })
  @ApiOkResponse({ type: LeadsPersonalDataView })
  export(@Query() query: PersonalDataQuery) {
    return this.personalData.export(query);
  }
}
