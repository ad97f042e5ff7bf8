import { Controller, Get, Query, type Type } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DomainError } from '@crm/domain';
import { ApiPageResponse, CurrentUser, Role, Roles, type AuthUser } from '@crm/http';
import { AuditTrail } from './audit-trail';
import { AuditQueryDto, AuditRecordDto } from './audit.dto';
import { auditReader } from './audit.visibility';

const WHO_SEES_WHAT =
  'Who changed what in this service, newest first: per record (`recordType`, `recordId`) or per user (`actor`), ' +
  'within `from`/`to`. Admins and sales managers may query either way and read personal values (names, emails, ' +
  'phones, free text) in clear; a sales rep must name one record (`recordId`) and reads personal values masked ' +
  '(`l•••@acme.example`, `•••00`). Once a record is erased, its personal values read `[erased]` for everyone; the ' +
  'entries themselves stay, append-only, for `AUDIT_RETENTION_DAYS`.';

/** The read side of one service's trail, at `/api/v1/audit/<service>`. */
export function auditController(service: string): Type<unknown> {
  const operationId = `list${service.charAt(0).toUpperCase()}${service.slice(1)}AuditTrail`;

  @ApiTags('audit')
  @Controller(`api/v1/audit/${service}`)
  class AuditController {
    constructor(
      readonly dataSource: DataSource,
      readonly trail: AuditTrail,
    ) {}

    @Get()
    @Roles(Role.Admin, Role.SalesManager, Role.SalesRep)
    @ApiOperation({ operationId, summary: `The audit trail of ${service}`, description: WHO_SEES_WHAT })
    @ApiPageResponse(AuditRecordDto)
    list(@CurrentUser() user: AuthUser, @Query() query: AuditQueryDto) {
      const reader = auditReader(user.roles);
      if (!reader.mayQueryBroadly && !query.recordId) throw DomainError.invalidField('recordId', 'a sales rep must name one record');
      return this.trail.list(
        this.dataSource,
        { ...query, from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined },
        reader,
      );
    }
  }
  Object.defineProperty(AuditController, 'name', { value: `${operationId.slice(4)}Controller` });
  return AuditController;
}
