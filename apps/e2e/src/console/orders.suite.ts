import { randomUUID } from 'node:crypto';
import { etagOf, unwrap, type components } from '@crm/api-client';
import { eventually } from '@crm/testing';
import type { ConsoleHarness, ConsolePage, SignedIn } from './harness';
import { expectScreenSound, pickPerson, shownDateTime as dateTime, shownMoney as money, signInAs, type ConsoleSuiteContext } from './suite';

type Order = components['schemas']['OrderDetailView'];

/**
 * Finds an order in the console's orders list (orders appear a moment after a deal is won, so the list is read
 * again until it shows) and opens its page; answers the order's id.
 */
export async function expectOrderInBrowser(tab: ConsolePage, filter: { q?: string; opportunityId?: string }): Promise<string> {
  const path = filter.q ? `/orders?q=${encodeURIComponent(filter.q)}` : '/orders';
  const row = filter.opportunityId ? tab.page.locator(`tr[data-opportunity-id="${filter.opportunityId}"]`) : tab.page.locator('tr[data-order-id]');
  await tab.goto(path);
  await eventually(
    async () => {
      if ((await row.count()) === 0) {
        await tab.page.reload();
        await tab.page.getByTestId('orders-table').waitFor({ timeout: 5_000 });
      }
      expect(await row.count()).toBeGreaterThan(0);
    },
    { timeoutMs: 30_000, intervalMs: 1_000 },
  );
  const orderId = await row.first().getAttribute('data-order-id');
  if (!orderId) throw new Error('the order row carries no id');
  await row.first().getByTestId('order-link').click();
  await tab.page.waitForURL(`**/orders/${orderId}`);
  await tab.page.getByTestId('order-status').waitFor();
  return orderId;
}

/** A draft order of this rep, made through the API, with one line of an active item. */
async function draftOrder(harness: ConsoleHarness, rep: SignedIn): Promise<Order> {
  const api = harness.api(rep);
  const items = await unwrap(api.GET('/api/v1/items', { params: { query: { active: true, limit: 5 } } }));
  const item = items.items[0];
  if (!item) throw new Error('no active item in the demo data');
  const tag = randomUUID().slice(0, 8);
  return unwrap(
    api.POST('/api/v1/orders', {
      params: { header: { 'Idempotency-Key': randomUUID() } },
      body: {
        customer: { name: `Console Buyer ${tag}`, company: `Console Test ${tag} Co., Ltd.` },
        currency: 'CNY',
        paymentTerms: 'NET30',
        lines: [{ sku: item.sku, productName: item.name, quantity: 3, unitPrice: '1234.56', discount: '10.05' }],
      },
    }),
  ) as Promise<Order>;
}

async function readOrder(harness: ConsoleHarness, who: SignedIn, id: string) {
  const answer = await harness.api(who).GET('/api/v1/orders/{id}', { params: { path: { id } } });
  return { order: await unwrap(answer), etag: etagOf(answer) };
}

export function ordersSuite(ctx: ConsoleSuiteContext): void {
  describe('orders', () => {
    it('lists what the API answers for a status filter, kept in the URL', async () => {
      const harness = ctx.harness();
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const tab = await harness.pageAs(manager);
      try {
        const expected = await unwrap(harness.api(manager).GET('/api/v1/orders', { params: { query: { status: 'completed', limit: 50 } } }));
        expect(expected.items.length).toBeGreaterThan(0);
        await tab.goto('/orders?status=completed');
        await tab.page.locator('tr[data-order-id]').first().waitFor();
        const ids = await tab.page.locator('tr[data-order-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-order-id')));
        expect(ids).toEqual(expected.items.map((o) => o.id));
        const totals = await tab.page.getByTestId('order-total').allTextContents();
        expect(totals).toEqual(expected.items.map((o) => money(o.total, o.currency)));
        // Every row carries the filtered status, and a reload keeps the filter.
        expect(new Set(await tab.page.locator('tr[data-order-id] [data-status]').evaluateAll((t) => t.map((e) => e.getAttribute('data-status'))))).toEqual(
          new Set(['completed']),
        );
        await tab.page.reload();
        await tab.page.locator('tr[data-order-id]').first().waitFor();
        expect(await tab.page.locator('tr[data-order-id]').count()).toBe(expected.items.length);
        await expectScreenSound(tab, 'orders-list');
      } finally {
        await tab.close();
      }
    });

    it("shows the order's status history, lines and totals exactly as the API has them", async () => {
      const harness = ctx.harness();
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const list = await unwrap(harness.api(manager).GET('/api/v1/orders', { params: { query: { status: 'delivered', limit: 5 } } }));
      const id = list.items[0]?.id;
      if (!id) throw new Error('no delivered order in the demo data');
      const { order } = await readOrder(harness, manager, id);
      const tab = await harness.pageAs(manager);
      try {
        await tab.goto(`/orders/${id}`);
        await tab.page.getByTestId('history-entry').first().waitFor();
        expect(await tab.page.getByTestId('order-total').textContent()).toBe(money(order.total, order.currency));
        expect(await tab.page.getByTestId('line-total').allTextContents()).toEqual(order.lines.map((l) => money(l.lineTotal, order.currency)));
        expect(await tab.page.getByTestId('line-quantity').allTextContents()).toEqual(order.lines.map((l) => String(l.quantity)));
        const history = order.history ?? [];
        expect(await tab.page.getByTestId('history-entry').evaluateAll((e) => e.map((x) => x.getAttribute('data-to')))).toEqual(history.map((h) => h.toStatus));
        expect(await tab.page.getByTestId('history-at').allTextContents()).toEqual(history.map((h) => dateTime(h.at)));
        await tab.page.getByRole('heading', { name: 'Payments' }).waitFor();
        await tab.page.getByRole('heading', { name: 'Customer feedback' }).waitFor();
        await expectScreenSound(tab, 'order-page');
      } finally {
        await tab.close();
      }
    });

    it('edits a draft: a new quantity gives the new total; quantity 0 is refused beside the field and nothing is stored', async () => {
      const harness = ctx.harness();
      const person = await pickPerson(harness, 'sales_rep', 'east');
      const rep = await harness.signIn(person.id, 'sales_rep');
      const draft = await draftOrder(harness, rep);
      expect(draft.total).toBe('3693.63'); // 3 × 1234.56 − 10.05
      const tab = await harness.pageAs(rep);
      try {
        await tab.goto(`/orders/${draft.id}`);
        await tab.page.getByRole('button', { name: 'Edit draft' }).click();
        const quantity = tab.page.locator('#lines_0_quantity');
        await quantity.fill('7');
        await tab.page.getByTestId('draft-save').click();
        const stored = await eventually(async () => {
          const { order } = await readOrder(harness, rep, draft.id);
          expect({ version: order.version, quantity: order.lines[0]?.quantity }).toEqual({ version: draft.version + 1, quantity: 7 });
          return order;
        });
        expect(stored.total).toBe('8631.87'); // 7 × 1234.56 − 10.05, to the cent
        await eventually(async () => expect(await tab.page.getByTestId('order-total').textContent()).toBe(money(stored.total, 'CNY')));
        expect(await tab.page.getByTestId('line-quantity').allTextContents()).toEqual(['7']);

        await tab.page.getByRole('button', { name: 'Edit draft' }).click();
        await quantity.fill('0');
        await tab.page.getByTestId('draft-save').click();
        const fieldError = tab.page.locator('.ant-form-item:has(#lines_0_quantity) .ant-form-item-explain-error');
        await fieldError.waitFor();
        expect(await fieldError.textContent()).toMatch(/quantity must not be less than 1/);
        const after = await readOrder(harness, rep, draft.id);
        expect({ version: after.order.version, quantity: after.order.lines[0]?.quantity, total: after.order.total }).toEqual({
          version: stored.version,
          quantity: 7,
          total: '8631.87',
        });
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('a rep submits a draft; only a manager may confirm it, and the status moves on the page', async () => {
      const harness = ctx.harness();
      const person = await pickPerson(harness, 'sales_rep', 'east');
      const rep = await harness.signIn(person.id, 'sales_rep');
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const draft = await draftOrder(harness, rep);
      const repTab = await harness.pageAs(rep);
      const managerTab = await harness.pageAs(manager, { viewport: 'tablet' });
      try {
        await repTab.goto(`/orders/${draft.id}`);
        await repTab.page.getByTestId('order-submit').click();
        await repTab.page.getByTestId('order-status').getByText('Submitted').waitFor();
        expect((await readOrder(harness, rep, draft.id)).order.status).toBe('submitted');
        expect(await repTab.page.getByTestId('order-confirm').count()).toBe(0);

        await managerTab.goto(`/orders/${draft.id}`);
        await managerTab.page.getByTestId('order-confirm').click();
        await managerTab.page.locator('[data-testid="history-entry"][data-to="confirmed"]').waitFor();
        const confirmed = (await readOrder(harness, manager, draft.id)).order;
        expect(confirmed.history?.map((h) => h.toStatus).slice(0, 3)).toEqual(['draft', 'submitted', 'confirmed']);
        expect(['confirmed', 'allocated', 'on_hold']).toContain(confirmed.status);
        await expectScreenSound(managerTab, 'order-page-tablet');
      } finally {
        await repTab.close();
        await managerTab.close();
      }
    });

    it('finds a fresh order in the list and opens it', async () => {
      const harness = ctx.harness();
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const rep = await harness.signIn((await pickPerson(harness, 'sales_rep', 'east')).id, 'sales_rep');
      const draft = await draftOrder(harness, rep);
      const tab = await harness.pageAs(manager);
      try {
        expect(await expectOrderInBrowser(tab, { q: draft.id.slice(0, 8) })).toBe(draft.id);
        expect(await tab.page.getByTestId('order-customer').textContent()).toContain(draft.customer.company);
      } finally {
        await tab.close();
      }
    });
  });
}
