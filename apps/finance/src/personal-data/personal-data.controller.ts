import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { exportSubject, PersonalDataQuery, Role, Roles } from '@crm/http';
import { FinancePersonalDataView } from './personal-data.dto';
import { PersonalDataService } from './personal-data.service';

@ApiTags('privacy')
@Controller('api/v1/personal-data')
@Roles(Role.Admin)
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  @Get('finance')
  @ApiOperation({
    operationId: 'exportFinancePersonalData',
    summary: "Finance's part of a person's data export: the receivables, payments and credit notes of their orders",
  })
  @ApiOkResponse({
    type: FinancePersonalDataView,
    description: 'Empty arrays when finance holds nothing about the person; always for a lead, since finance holds nothing by lead',
  })
  export(@Query() query: PersonalDataQuery): Promise<FinancePersonalDataView> {
    return this.personalData.export(exportSubject(query));
  }
}
