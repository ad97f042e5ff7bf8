import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PublicRoute } from '../public-route.decorator';
import { excludeFromHttpMetrics } from './http-metrics.middleware';
import { MetricsRegistry } from './metrics.registry';

@PublicRoute
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  async scrape(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    excludeFromHttpMetrics(req);
    res.setHeader('Content-Type', this.metrics.contentType);
    res.setHeader('Cache-Control', 'no-store');
    return this.metrics.metrics();
  }
}
