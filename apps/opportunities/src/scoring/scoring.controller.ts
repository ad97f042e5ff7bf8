import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, type AuthUser } from '@crm/http';
import { NewWeightsView, ScoringModelView, ScoringWeightsDto, TrainingResultView } from './scoring.dto';
import { ScoringService } from './scoring.service';

@ApiTags('scoring')
@Controller('api/v1/scoring-model')
export class ScoringController {
  constructor(private readonly scoring: ScoringService) {}

  /** The active model: weights, or a learned model with its coefficients, importances and held-out accuracy. */
  @Get()
  @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
  @ApiOkResponse({ type: ScoringModelView })
  get() {
    return this.scoring.get();
  }

  @Get('versions')
  @Roles(Role.Admin, Role.SalesManager)
  @ApiOkResponse({ type: [ScoringModelView], description: 'Newest first, at most 100' })
  versions() {
    return this.scoring.versions();
  }

  /** New weights are a new version; every open opportunity is re-scored. */
  @Put()
  @Roles(Role.Admin)
  @ApiOkResponse({ type: NewWeightsView })
  put(@CurrentUser() user: AuthUser, @Body() dto: ScoringWeightsDto) {
    return this.scoring.putWeights(user.sub, dto);
  }

  @Post('train')
  @HttpCode(200)
  @Roles(Role.Admin)
  @ApiOkResponse({ type: TrainingResultView })
  train(@CurrentUser() user: AuthUser) {
    return this.scoring.train(user.sub);
  }
}
