import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, IfMatch, Idempotent, Role, Roles, type AuthUser } from '@crm/http';
import { CreateRepDto, RepListView, RepView, UpdateRepDto } from './reps.dto';
import { RepsService } from './reps.service';

const MANAGERS = [Role.Admin, Role.SalesManager] as const;

@ApiTags('reps')
@Controller('api/v1/reps')
export class RepsController {
  constructor(private readonly reps: RepsService) {}

  @Get()
  @Roles(...MANAGERS, Role.SalesRep)
  @ApiOkResponse({ type: RepListView })
  list() {
    return this.reps.list().then((items) => ({ items }));
  }

  @Get(':id')
  @Roles(...MANAGERS, Role.SalesRep)
  @ApiOkResponse({ type: RepView })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.reps.get(id);
  }

  @Post()
  @Roles(...MANAGERS)
  @Idempotent()
  @ApiCreatedResponse({ type: RepView })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateRepDto) {
    return this.reps.create(user, dto);
  }

  @Patch(':id')
  @Roles(...MANAGERS)
  @ApiOkResponse({ type: RepView })
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateRepDto, @IfMatch() version: number) {
    return this.reps.update(user, id, dto, version);
  }
}
