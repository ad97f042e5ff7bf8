import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { FieldError, ProblemDetails } from './problem-details.types';

/** OpenAPI shape of a field error; the runtime type is `FieldError`. */
@ApiSchema({ name: 'FieldError', description: 'One invalid input, by its path in the request' })
export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'lines[0].quantity' })
  field: string;

  @ApiProperty({ example: 'quantity must not be less than 1' })
  message: string;

  @ApiProperty({ example: 'min' })
  constraint: string;
}

/** OpenAPI shape of every error body (served as application/problem+json). */
@ApiSchema({ name: 'Problem', description: 'RFC 9457 problem details, served as application/problem+json' })
export class ProblemDetailsDto implements ProblemDetails {
  @ApiProperty({ example: 'urn:crm:problem:validation-failed', description: 'Problem type URI; about:blank when the status says it all' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'The request has 1 invalid field.' })
  detail: string;

  @ApiPropertyOptional({ example: '/api/v1/orders' })
  instance?: string;

  @ApiPropertyOptional({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code to branch on' })
  code?: string;

  @ApiPropertyOptional({ type: () => [FieldErrorDto] })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ example: '5f0c7f0e-4a57-4c4b-9d1d-2a4f0c1b9e77' })
  correlationId?: string;
}
