import type { Projections } from './projection-context';

/** A classification changed: true unless the upsert was older than the stored row or left it as it was. */
export const restates = <T>(before: T | undefined, after: T | undefined, same: (a: T, b: T) => boolean): boolean =>
  after !== undefined && (before === undefined || !same(before, after));

/** The directories facts resolve dimensions through: a change restates the facts relying on it. */
export const directoryProjections: Projections = {
  'rep.upserted': ({ data }, batch) =>
    batch.later(async ({ m, repos }) => {
      const { before, after } = await repos.directories.upsertRep(m, data);
      // The team is a fallback for facts whose own events named none: those move with the rep.
      if (!restates(before, after, (a, b) => a.team === b.team)) return;
      const facts = await repos.directories.factsOnRepTeam(m, data.repId);
      for (const id of facts.leads) batch.leads.add(id);
      for (const id of facts.opportunities) batch.opportunity(id, false);
      for (const id of facts.orders) batch.orders.add(id);
    }),
  'item.upserted': ({ data }, batch) =>
    batch.later(async ({ m, repos }) => {
      const { before, after } = await repos.directories.upsertItem(m, data);
      if (!restates(before, after, (a, b) => a.product_line === b.product_line)) return;
      // Revenue by product line follows the catalogue's current classification (restated when it changes).
      for (const id of await repos.directories.ordersWithSku(m, data.sku)) batch.orders.add(id);
    }),
};
