import { Module } from '@nestjs/common';
import { LeadCustomerRefsConsumer } from './customer-refs.consumer';
import { LeadCustomerRefsRepository } from './customer-refs.repository';
import { LeadCustomerRefsService } from './customer-refs.service';

/** Leads' references to the customers service's accounts and contacts (ADR 0018). */
@Module({
  controllers: [LeadCustomerRefsConsumer],
  providers: [LeadCustomerRefsRepository, LeadCustomerRefsService],
})
export class LeadCustomerRefsModule {}
