import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { etagFor } from './etag.util';

/** Sends `ETag` for any single resource the handler returns, so the client has what If-Match needs. */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const response = context.switchToHttp().getResponse<{ sent: boolean; header(name: string, value: string): unknown }>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null | undefined)?.version;
        if (typeof version === 'number' && Number.isInteger(version) && !response.sent) {
          response.header('ETag', etagFor(version));
        }
        return body;
      }),
    );
  }
}
