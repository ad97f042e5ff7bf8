import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Role, Roles } from '@crm/http';
import { CreatePipelineDto } from './pipeline.dto';
import { PipelinesService } from './pipelines.service';

@ApiTags('pipelines')
@Controller('api/v1/pipelines')
export class PipelinesController {
  constructor(private readonly pipelines: PipelinesService) {}

  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep, Role.Integration)
  list() {
    return this.pipelines.list();
  }

  @Post()
  @Roles(Role.Admin)
  create(@Body() dto: CreatePipelineDto) {
    return this.pipelines.create(dto);
  }
}
