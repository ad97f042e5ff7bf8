import { Module } from '@nestjs/common';
import { CustomerLinksConsumer } from './customer-links.consumer';
import { CustomerLinksRepository } from './customer-links.repository';
import { CustomerLinksService } from './customer-links.service';

/** Opportunities' references to the customers service's accounts and contacts (ADR 0018). */
@Module({
  controllers: [CustomerLinksConsumer],
  providers: [CustomerLinksRepository, CustomerLinksService],
  exports: [CustomerLinksService],
})
export class CustomerLinksModule {}
