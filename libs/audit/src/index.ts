export * from './audit.diff';
export * from './audit.visibility';
export * from './audit-trail';
export * from './audit-trail.migration';
export * from './audit-purge.job';
export * from './audit.module';
export { AuditQueryDto, AuditRecordDto, AuditChangeView } from './audit.dto';
