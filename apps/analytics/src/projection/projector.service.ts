import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import type { EventEnvelope } from '@crm/contracts';
import type { Contribution } from './aggregates';
import { AggregatesRepository } from './aggregates.repository';
import { CustomerLinksRepository } from './customer-links.repository';
import { DirectoriesRepository } from './directories.repository';
import { applyFactSteps } from './fact-writes';
import { LeadFactsRepository } from './lead-facts.repository';
import { reprojectLeads } from './leads.projection';
import { reprojectOpportunities } from './opportunities.projection';
import { OpportunityFactsRepository } from './opportunity-facts.repository';
import { OrderFactsRepository } from './order-facts.repository';
import { reprojectOrders } from './orders.projection';
import { ProjectionBatch, type EventOrigin } from './projection-batch';
import type { ProjectionContext, ProjectionRepositories } from './projection-context';
import { projectionFor } from './projection.registry';
import { diffContributions } from './projection.domain';
import { ReceivableFactsRepository } from './receivable-facts.repository';

/**
 * Applies events to the read model. Each handler (projection.registry.ts) records the event's write to its
 * fact and marks what it touched; the flush applies the batch's writes set-based (one statement per kind and
 * round, fact-writes.ts), then re-projects every fact whose contribution could change (the
 * fact itself and the facts that resolve a dimension through it), writing only the difference to the
 * aggregates. A fact row is locked (FOR UPDATE) before it is re-read, so two consumers (replicas, or a
 * rebuild running next to the live consumer) never apply a fact's difference twice.
 */
@Injectable()
export class Projector {
  private readonly repos: ProjectionRepositories;

  constructor(
    directories: DirectoriesRepository,
    leads: LeadFactsRepository,
    opportunities: OpportunityFactsRepository,
    orders: OrderFactsRepository,
    receivables: ReceivableFactsRepository,
    aggregates: AggregatesRepository,
    customers: CustomerLinksRepository,
    private readonly calendar: BusinessCalendar,
  ) {
    this.repos = { directories, leads, opportunities, orders, receivables, aggregates, customers };
  }

  handles(type: string): boolean {
    return projectionFor(type) !== undefined;
  }

  /**
   * Applies one event inside the caller's transaction (the inbox transaction, or a rebuild chunk). With a
   * `batch`, its fact writes, the re-projections and the aggregate and watermark writes wait for
   * `flush(m, batch)`, which the caller runs once before commit; without one they happen now.
   */
  async apply(m: EntityManager, event: EventEnvelope, origin: EventOrigin, batch?: ProjectionBatch): Promise<void> {
    const handler = projectionFor(event.type);
    if (!handler) return;
    const b = batch ?? new ProjectionBatch();
    handler(event, b);
    b.applied(origin, new Date(event.time));
    if (!batch) await this.flush(m, b);
  }

  /**
   * Re-projects every fact the batch's events touched, once, from the facts as they stand now, and writes the
   * summed differences to each aggregate table and the watermarks in one statement each. Re-projection is a
   * pure function of the facts, so doing it once at the end gives the same contributions as after every event
   * (the differences add up to the same total). Opportunities go first: a lead's funnel reads their status.
   */
  async flush(m: EntityManager, batch: ProjectionBatch): Promise<void> {
    const ctx: ProjectionContext = { m, batch, repos: this.repos, zone: this.calendar.zone };
    await applyFactSteps(ctx, batch.takeSteps());
    const deltas: Contribution[] = [];
    // Late dimensions, resolved now rather than per event: a superset of the facts each event would have
    // found, which is harmless (re-projecting an unchanged fact writes nothing).
    for (const id of await this.repos.opportunities.idsOfLeads(m, [...batch.capturedLeads])) batch.opportunity(id, true);
    for (const id of await this.repos.orders.idsOfOpportunities(m, [...batch.opportunitiesWithOrders])) batch.orders.add(id);
    for (const id of await this.repos.orders.leadsOf(m, [...batch.leadsOfOrders])) batch.leads.add(id);
    await reprojectOpportunities(ctx, [...batch.opportunities].sort(), deltas);
    await reprojectOrders(ctx, [...batch.orders].sort(), deltas);
    await reprojectLeads(ctx, [...batch.leads].sort(), deltas);
    await this.repos.aggregates.addDeltas(m, diffContributions([], deltas));
    await this.repos.aggregates.moveWatermarks(m, batch.sortedWatermarks());
    batch.clear();
  }
}
