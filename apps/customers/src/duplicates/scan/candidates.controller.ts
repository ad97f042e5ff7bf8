import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, CurrentUser, Role, Roles, type AuthUser } from '@crm/http';
import { DuplicateCandidatePairView, DuplicateCandidateView, ListCandidatesQuery, ScanResultView } from './candidates.dto';
import { DuplicateScanService } from './duplicate-scan.service';

const MANAGERS = [Role.Admin, Role.SalesManager] as const;

/** The pairs the duplicate scan found, for managers (their team's) and admins to merge or dismiss. */
@ApiTags('duplicate-candidates')
@Controller('api/v1')
export class CandidatesController {
  constructor(private readonly scanner: DuplicateScanService) {}

  @Get('duplicate-candidates')
  @Roles(...MANAGERS)
  @ApiPageResponse(DuplicateCandidatePairView, 'Newest first, each record with its name')
  list(@CurrentUser() user: AuthUser, @Query() query: ListCandidatesQuery) {
    return this.scanner.list(user, query);
  }

  @Post('duplicate-candidates/:id/dismiss')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ApiOkResponse({ type: DuplicateCandidateView })
  dismiss(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.scanner.dismiss(user, id);
  }

  /** Runs the scan now and answers what it found (409 SCAN_RUNNING while one runs). */
  @Post('duplicate-scans')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ApiOperation({ operationId: 'runDuplicateScan' })
  @ApiOkResponse({ type: ScanResultView })
  scan() {
    return this.scanner.scan();
  }
}
