import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PersonalDataQuery, Role, Roles } from '@crm/http';
import { NotificationsPersonalDataView } from './personal-data.dto';
import { PersonalDataService } from './personal-data.service';

@ApiTags('privacy')
@Controller('api/v1/personal-data')
@Roles(Role.Admin)
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  @Get('notifications')
  @ApiOperation({
    operationId: 'exportNotificationsPersonalData',
    summary: "Notifications' part of a person's data export: the copies of their records, what was told about them, their next actions",
  })
  @ApiOkResponse({ type: NotificationsPersonalDataView, description: 'Empty arrays when nothing here concerns the person' })
  @ApiBadRequestResponse({ description: 'Neither or both of contactId and leadId' })
  export(@Query() query: PersonalDataQuery): Promise<NotificationsPersonalDataView> {
    return this.personalData.export(query);
  }
}
