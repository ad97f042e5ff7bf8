import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { InboxController } from './inbox.controller';
import { InboxRepository } from './inbox.repository';
import { InboxService } from './inbox.service';
import { InboxStreams } from './inbox-streams';

export const STREAM_PATH = '/api/v1/notifications/stream';

/**
 * A browser's EventSource cannot set headers, so the live stream (and only it) also takes the bearer token
 * as `?access_token=`: it becomes the Authorization header before the global guards run, which then check
 * it like any other. A header that is there wins. (Logs and problem bodies never carry the query string.)
 */
export function acceptQueryToken(req: { url: string; headers: Record<string, unknown>; query?: unknown }): void {
  if (req.headers.authorization !== undefined || req.url.split('?')[0] !== STREAM_PATH) return;
  const token = (req.query as Record<string, unknown> | undefined)?.access_token;
  if (typeof token === 'string' && token) req.headers.authorization = `Bearer ${token}`;
}

/** The in-app inbox (list, unread count, read, archive, snooze) and its live stream. */
@Module({
  controllers: [InboxController],
  providers: [InboxRepository, InboxService, InboxStreams],
})
export class InboxModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onRequest', (req, _reply, done) => {
      acceptQueryToken(req as never);
      done();
    });
  }
}
