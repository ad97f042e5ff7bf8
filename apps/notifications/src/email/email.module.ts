import { Module } from '@nestjs/common';
import { FanoutModule } from '../fanout/fanout.module';
import { DigestJob } from './digest.job';
import { EmailComposer } from './email-composer';
import { EmailDispatcher } from './email.dispatcher';
import { EmailRepository } from './email.repository';
import { Mailer } from './mailer';

/** The email channel: the ledger's email rows sent over SMTP (quiet hours, retries), and the daily digest. */
@Module({
  imports: [FanoutModule],
  providers: [EmailRepository, EmailComposer, Mailer, EmailDispatcher, DigestJob],
  exports: [EmailDispatcher, DigestJob],
})
export class EmailModule {}
