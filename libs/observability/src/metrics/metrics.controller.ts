import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRoute } from '../public-route.decorator';
import { MetricsRegistry } from './metrics.registry';

@PublicRoute
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(@Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    res.header('Content-Type', this.metrics.contentType);
    res.header('Cache-Control', 'no-store');
    return this.metrics.metrics();
  }
}
