import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { DomainError } from '@crm/domain';
import { DuplicateScanService } from './duplicate-scan.service';

export const DUPLICATE_SCAN_CRON = Symbol('DUPLICATE_SCAN_CRON');
export const DUPLICATE_SCAN_JOB = 'customers-duplicate-scan';

/**
 * Runs the duplicate scan on CUSTOMERS_DUPLICATE_SCAN_CRON (nightly by default). Every replica schedules it; the
 * scan's advisory lock lets one of them run and the others skip, and the pairs' unique key would stop a double anyway.
 */
@Injectable()
export class DuplicateScanJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(DuplicateScanJob.name);

  constructor(
    private readonly scanner: DuplicateScanService,
    @Inject(DUPLICATE_SCAN_CRON) private readonly cron: string,
    @Optional() @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry | null = null,
  ) {}

  onApplicationBootstrap(): void {
    // Registered with the scheduler so that shutdown stops it with the other jobs.
    this.scheduler?.addCronJob(DUPLICATE_SCAN_JOB, CronJob.from({ cronTime: this.cron, onTick: () => void this.run(), start: true }));
  }

  async run(): Promise<void> {
    try {
      const r = await this.scanner.scan();
      this.logger.log(
        `duplicate scan: ${r.account.pairs} account pair(s) (${r.account.new} new), ${r.contact.pairs} contact pair(s) (${r.contact.new} new) in ${r.tookMs} ms`,
      );
    } catch (err) {
      if (err instanceof DomainError && err.code === 'SCAN_RUNNING') return;
      this.logger.error(`duplicate scan failed: ${(err as Error).message}`);
    }
  }
}
