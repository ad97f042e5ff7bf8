/**
 * The layers under a service, for scenario 1's baselines: `node -r ./tools/register.js bench/src/bare-http.ts
 * <fastify|nest-fastify>` answers GET /health/live with the JSON in BODY (and the service's Cache-Control), and
 * prints its port. `fastify` is the HTTP server the services run on, with one route; `nest-fastify` is a Nest app
 * on that adapter with one controller and nothing global (no guards, pipes, filters, hooks or metrics).
 */
import 'reflect-metadata';
import { Controller, Get, Header, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import Fastify from 'fastify';

const body: unknown = JSON.parse(process.env.BODY ?? '{"status":"ok"}');
const KEEP_ALIVE_MS = 65_000; // as the raw node:http baseline

@Controller('health')
class LiveController {
  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): unknown {
    return body;
  }
}

@Module({ controllers: [LiveController] })
class BareModule {}

async function listen(kind: string | undefined): Promise<number> {
  if (kind === 'fastify') {
    const app = Fastify({ keepAliveTimeout: KEEP_ALIVE_MS });
    app.get('/health/live', (_req, reply) => reply.header('cache-control', 'no-store').send(body));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return (app.server.address() as { port: number }).port;
  }
  if (kind === 'nest-fastify') {
    const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter({ keepAliveTimeout: KEEP_ALIVE_MS }), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    return (app.getHttpServer().address() as { port: number }).port;
  }
  throw new Error(`bare-http: unknown kind "${kind}" (fastify | nest-fastify)`);
}

void listen(process.argv[2]).then((port) => console.log(port));
