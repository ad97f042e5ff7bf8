import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, Logger, mixin, type Type } from '@nestjs/common';
import { HttpProblemCode } from '../problem/problem-code.enum';
import { ProblemException } from '../problem/problem.exception';
import { verifyWebhookSignature } from './webhook-signature';

export const WEBHOOK_SIGNATURE_HEADER = 'x-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-signature-timestamp';

/**
 * A guard for one signed inbound webhook whose secret the module provides under `secretToken` (undefined =
 * the webhook refuses everything). It runs before the body is validated: an unsigned, wrongly signed or
 * replayed post gets 401 problem+json and touches nothing. Pair it with `@Public()` (no bearer token).
 */
export function SignedWebhookGuard(secretToken: string | symbol, label: string): Type<CanActivate> {
  @Injectable()
  class SignedWebhookGuardMixin implements CanActivate {
    private readonly logger = new Logger(`${label} webhook`);

    constructor(@Inject(secretToken) private readonly secret: string | undefined) {}

    canActivate(context: ExecutionContext): boolean {
      const req = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; rawBody?: Buffer }>();
      const failure = verifyWebhookSignature({
        secret: this.secret,
        signature: req.headers[WEBHOOK_SIGNATURE_HEADER],
        timestamp: req.headers[WEBHOOK_TIMESTAMP_HEADER],
        rawBody: req.rawBody,
        now: new Date(),
      });
      if (!failure) return true;
      this.logger.warn(`post refused: ${failure}`);
      throw new ProblemException({
        status: HttpStatus.UNAUTHORIZED,
        code: HttpProblemCode.Unauthenticated,
        detail: `The ${label} signature is invalid: ${failure}.`,
      });
    }
  }
  return mixin(SignedWebhookGuardMixin);
}
