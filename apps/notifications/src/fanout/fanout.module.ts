import { Module } from '@nestjs/common';
import { LedgerRepository } from '../delivery/ledger.repository';
import { FanoutRepository } from './fanout.repository';
import { FanoutService } from './fanout.service';

/** Rules → recipients → inbox and ledger rows: what every trigger (event, reminder, escalation) goes through. */
@Module({
  providers: [FanoutRepository, FanoutService, LedgerRepository],
  exports: [FanoutService, LedgerRepository],
})
export class FanoutModule {}
