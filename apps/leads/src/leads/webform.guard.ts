import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpProblemCode, ProblemException } from '@crm/http';
import { verifyWebForm } from './webform-signature';

export const WEBFORM_SECRET = Symbol('WEBFORM_SECRET');

/** Runs before the body is validated: an unsigned or wrongly signed post is refused before anything else. */
@Injectable()
export class WebFormSignatureGuard implements CanActivate {
  private readonly logger = new Logger(WebFormSignatureGuard.name);

  constructor(@Inject(WEBFORM_SECRET) private readonly secret: string | undefined) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; rawBody?: Buffer }>();
    const failure = verifyWebForm({
      secret: this.secret,
      signature: req.headers['x-signature'],
      timestamp: req.headers['x-signature-timestamp'],
      rawBody: req.rawBody,
      now: new Date(),
    });
    if (!failure) return true;
    this.logger.warn(`web-form post refused: ${failure}`);
    throw new ProblemException({ status: HttpStatus.UNAUTHORIZED, code: HttpProblemCode.Unauthenticated, detail: `The web-form signature is invalid: ${failure}.` });
  }
}
