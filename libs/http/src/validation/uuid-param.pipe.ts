import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '@crm/domain';

/** A UUID path parameter whose refusal names the parameter, as the body validation names a field. */
export const uuidParam = (field: string): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => DomainError.invalidInput(field, 'isUuid', `${field} must be a UUID`) });
