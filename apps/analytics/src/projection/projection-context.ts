import type { EntityManager } from 'typeorm';
import type { EventName, EventOf } from '@crm/contracts';
import type { AggregatesRepository } from './aggregates.repository';
import type { CustomerLinksRepository } from './customer-links.repository';
import type { DirectoriesRepository } from './directories.repository';
import type { LeadFactsRepository } from './lead-facts.repository';
import type { OpportunityFactsRepository } from './opportunity-facts.repository';
import type { OrderFactsRepository } from './order-facts.repository';
import type { ProjectionBatch } from './projection-batch';
import type { ReceivableFactsRepository } from './receivable-facts.repository';

/** The repositories of the read model's tables: the only code with its SQL. */
export interface ProjectionRepositories {
  directories: DirectoriesRepository;
  leads: LeadFactsRepository;
  opportunities: OpportunityFactsRepository;
  orders: OrderFactsRepository;
  receivables: ReceivableFactsRepository;
  aggregates: AggregatesRepository;
  customers: CustomerLinksRepository;
}

/**
 * What a handler works with: the caller's transaction, the batch it marks touched facts in, the repositories,
 * and the business time zone the daily buckets are days of.
 */
export interface ProjectionContext {
  m: EntityManager;
  batch: ProjectionBatch;
  repos: ProjectionRepositories;
  zone: string;
}

/**
 * Records what one event does in the batch: its write to its fact (applied set-based at the flush, with the
 * batch's other writes) and which facts to re-project then. Touches no database itself.
 */
export type ProjectionHandler<N extends EventName> = (event: EventOf<N>, batch: ProjectionBatch) => void;

/** Handlers by event name: each fact's projection file exports one such map for its event types. */
export type Projections = { [N in EventName]?: ProjectionHandler<N> };
