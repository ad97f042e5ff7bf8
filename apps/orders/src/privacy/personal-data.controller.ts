import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PersonalDataQuery, Role, Roles } from '@crm/http';
import { OrdersPersonalDataView } from './personal-data.dto';
import { PersonalDataService } from './personal-data.service';

@ApiTags('privacy')
@Controller('api/v1/personal-data')
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  /**
   * Everything this service holds about one contact or lead (exactly one of `contactId`, `leadId`; 400 otherwise),
   * for a data-subject access request; a person with nothing here gets empty arrays. Admin only.
   */
  @Get('orders')
  @Roles(Role.Admin)
  @ApiOperation({ operationId: 'exportOrdersPersonalData' })
  @ApiOkResponse({ type: OrdersPersonalDataView })
  export(@Query() query: PersonalDataQuery) {
    return this.personalData.export(query);
  }
}
