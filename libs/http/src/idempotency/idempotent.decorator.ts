import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** Marks a create as retry-safe with an `Idempotency-Key` header (see `IdempotencyInterceptor`). */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Unique per create (a UUID). A retry with the same key and body replays the first answer with Idempotent-Replayed: true.',
    }),
  );
}
