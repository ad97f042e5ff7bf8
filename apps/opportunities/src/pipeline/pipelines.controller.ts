import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role, Roles } from '@crm/http';
import { CreatePipelineDto, NewPipelineView, PipelineView } from './pipeline.dto';
import { PipelinesService } from './pipelines.service';

@ApiTags('pipelines')
@Controller('api/v1/pipelines')
export class PipelinesController {
  constructor(private readonly pipelines: PipelinesService) {}

  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiOkResponse({ type: [PipelineView], description: 'Oldest first, each with its stages in order' })
  list() {
    return this.pipelines.list();
  }

  @Post()
  @Roles(Role.Admin)
  @ApiCreatedResponse({ type: NewPipelineView })
  create(@Body() dto: CreatePipelineDto) {
    return this.pipelines.create(dto);
  }
}
