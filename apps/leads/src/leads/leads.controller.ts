import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { ApiPageResponse, CurrentUser, IfMatch, Idempotent, parseIfMatch, ProblemException, Role, Roles, type AuthUser } from '@crm/http';
import {
  ConvertDto,
  CreateLeadDto,
  DisqualifyDto,
  FollowUpDto,
  FollowUpListView,
  FollowUpView,
  ImportResultView,
  ListLeadsQuery,
  OverdueQuery,
  QualifyDto,
  ReassignDto,
  UpdateLeadDto,
} from './leads.dto';
import { LeadImportService } from './lead-import.service';
import { CaptureResultView, LeadDetailView, LeadView } from './lead.views';
import { LeadWorkflowService } from './lead-workflow.service';
import { LeadsService } from './leads.service';

const SALES = [Role.Admin, Role.SalesManager, Role.SalesRep] as const;
const MANAGERS = [Role.Admin, Role.SalesManager] as const;

const version = (ifMatch: string | undefined) => (ifMatch === undefined ? undefined : parseIfMatch(ifMatch));
const IfMatchHeader = () => ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version acted on (412 if stale)' });

@ApiTags('leads')
@Controller('api/v1/leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly workflow: LeadWorkflowService,
    private readonly imports: LeadImportService,
  ) {}

  /**
   * 201 with the new lead, or 200 `{ merged: true }` when it joined an open lead of the same person; `lead` is
   * left out when the caller may not see it (routed to, or merged into, another rep's lead).
   */
  @Post()
  @Roles(...SALES, Role.Integration)
  @Idempotent()
  @ApiCreatedResponse({ description: 'A new lead', type: CaptureResultView })
  @ApiOkResponse({ description: 'Merged into the open lead of the same person', type: CaptureResultView })
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateLeadDto, @Res({ passthrough: true }) res: { status(code: number): unknown }) {
    const result = await this.leads.captureFor(user, dto);
    if (result.merged) res.status(HttpStatus.OK);
    return result;
  }

  /** CSV with a header row (name, email, phone, company, companySize, region, productInterest, needs, source, campaign, custom.*). */
  @Post('import')
  @HttpCode(200)
  @Roles(...MANAGERS, Role.Integration)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'name,email,phone,company,source,campaign\nLi Wei,li@acme.example,,Acme,trade_show,Canton Fair' } })
  @ApiOkResponse({ type: ImportResultView })
  import(@CurrentUser() user: AuthUser, @Req() req: { headers: Record<string, string | undefined>; body?: unknown }) {
    // text/csv arrives as the unread request stream (see createHttpAdapter); anything else was parsed or refused.
    if (!(req.body instanceof Readable)) {
      throw new ProblemException({ status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the import as text/csv.' });
    }
    return this.imports.importCsv(user, req.body);
  }

  @Get()
  @Roles(...SALES)
  @ApiPageResponse(LeadView)
  list(@CurrentUser() user: AuthUser, @Query() query: ListLeadsQuery) {
    return this.leads.list(user, query);
  }

  @Get(':id')
  @Roles(...SALES)
  @ApiOkResponse({ type: LeadDetailView })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.leads.get(user, id);
  }

  @Patch(':id')
  @Roles(...SALES)
  @ApiOkResponse({ type: LeadView })
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateLeadDto, @IfMatch() expected: number) {
    return this.workflow.update(user, id, dto, expected);
  }

  @Post(':id/follow-ups')
  @Roles(...SALES)
  @Idempotent()
  @ApiCreatedResponse({ type: FollowUpView })
  followUp(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: FollowUpDto) {
    return this.workflow.recordFollowUp(user, id, dto);
  }

  @Get(':id/follow-ups')
  @Roles(...SALES)
  @ApiOkResponse({ type: FollowUpListView })
  followUps(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.leads.followUps(user, id);
  }

  @Post(':id/qualify')
  @HttpCode(200)
  @Roles(...SALES)
  @IfMatchHeader()
  @ApiOkResponse({ type: LeadView })
  qualify(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: QualifyDto, @Headers('if-match') ifMatch?: string) {
    return this.workflow.qualify(user, id, dto.note, version(ifMatch));
  }

  @Post(':id/disqualify')
  @HttpCode(200)
  @Roles(...SALES)
  @IfMatchHeader()
  @ApiOkResponse({ type: LeadView })
  disqualify(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DisqualifyDto, @Headers('if-match') ifMatch?: string) {
    return this.workflow.disqualify(user, id, dto, version(ifMatch));
  }

  @Post(':id/convert')
  @HttpCode(200)
  @Roles(...SALES)
  @IfMatchHeader()
  @ApiOkResponse({ type: LeadView })
  convert(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ConvertDto, @Headers('if-match') ifMatch?: string) {
    return this.workflow.convert(user, id, dto, version(ifMatch));
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @IfMatchHeader()
  @ApiOkResponse({ type: LeadView })
  reassign(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReassignDto, @Headers('if-match') ifMatch?: string) {
    return this.workflow.reassign(user, id, dto, version(ifMatch));
  }
}

@ApiTags('follow-ups')
@Controller('api/v1/follow-ups')
export class FollowUpsController {
  constructor(private readonly leads: LeadsService) {}

  @Get('overdue')
  @Roles(...SALES)
  @ApiOperation({ operationId: 'listOverdueFollowUps' })
  @ApiPageResponse(FollowUpView, 'Latest follow-up of each open lead whose next action is past due, earliest due first')
  overdue(@CurrentUser() user: AuthUser, @Query() query: OverdueQuery) {
    return this.leads.overdueFollowUps(user, query);
  }
}
