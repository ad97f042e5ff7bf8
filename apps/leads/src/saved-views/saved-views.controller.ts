import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, type AuthUser } from '@crm/http';
import { CreateSavedViewDto, SavedViewListQuery, SavedViewListView, SavedViewView } from './saved-views.dto';
import { SavedViewsService } from './saved-views.service';

const PEOPLE = [Role.Admin, Role.SalesManager, Role.SalesRep] as const;

@ApiTags('saved-views')
@Controller('api/v1/saved-views')
export class SavedViewsController {
  constructor(private readonly views: SavedViewsService) {}

  @Get()
  @Roles(...PEOPLE)
  @ApiOkResponse({ type: SavedViewListView })
  list(@CurrentUser() user: AuthUser, @Query() query: SavedViewListQuery) {
    return this.views.list(user, query.list).then((items) => ({ items }));
  }

  @Get(':id')
  @Roles(...PEOPLE)
  @ApiOkResponse({ type: SavedViewView })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.views.get(user, id);
  }

  @Post()
  @Roles(...PEOPLE)
  @ApiCreatedResponse({ type: SavedViewView })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateSavedViewDto) {
    return this.views.create(user, dto);
  }

  @Delete(':id')
  @Roles(...PEOPLE)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.views.remove(user, id);
  }
}
