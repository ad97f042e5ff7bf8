import { randomUUID } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response, NextFunction } from 'express';
import { CORRELATION_ID_HEADER, isSaneCorrelationId, runWithCorrelation } from './correlation-context';

@Injectable()
export class CorrelationIdMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.headers[CORRELATION_ID_HEADER];
    // An unusable id is replaced rather than rejected: tracing must never fail a request.
    const correlationId = isSaneCorrelationId(incoming) ? incoming : randomUUID();
    res.setHeader(CORRELATION_ID_HEADER, correlationId);
    // Everything downstream of next() (guards, handlers, async continuations) sees the id.
    runWithCorrelation(correlationId, () => next());
  }
}
