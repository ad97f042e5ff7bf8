import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, ValidateBy } from 'class-validator';
import { SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH, searchFragmentProblem } from '@crm/persistence';

/**
 * `q`, a text search fragment of a list (`whereTextMatches` in @crm/persistence): case-insensitive, Latin or
 * Chinese, anywhere in the fields `description` names. A single character or more than the maximum is a 400
 * on `q`.
 */
export function SearchQuery(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: `${description}; case-insensitive, anywhere in the text (Latin or Chinese, ${SEARCH_MIN_LENGTH}–${SEARCH_MAX_LENGTH} characters)`,
      minLength: SEARCH_MIN_LENGTH,
      maxLength: SEARCH_MAX_LENGTH,
      example: '王伟',
    }),
    IsOptional(),
    IsString(),
    ValidateBy({
      name: 'isSearchFragment',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !searchFragmentProblem(value),
        defaultMessage: (args) => (typeof args?.value === 'string' && searchFragmentProblem(args.value)) || 'q must be a search fragment',
      },
    }),
  );
}
