export { createCrmClient, type CrmClient, type CrmClientOptions } from './client';
export { ApiProblem, unwrap, type ApiResult, type FieldError, type ProblemDetails, type Success } from './problem';
export { eachItem, etagOf, idempotencyKey, ifMatch, listAll, wasReplayed, type Page } from './conventions';
export type { components, operations, paths } from './schema';
export {
  exportChecksum,
  exportPersonalData,
  PERSONAL_DATA_SERVICES,
  PersonalDataExportError,
  type PersonalDataExport,
  type PersonalDataExportOptions,
  type PersonalDataPart,
  type PersonalDataService,
  type PersonalDataSubject,
} from './personal-data';
