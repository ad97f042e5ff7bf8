import type { Locator } from 'playwright-core';
import { unwrap } from '@crm/api-client';
import { expectScreenSound, shownDateTime as dateTime, shownMoney as money, signInAs, type ConsoleSuiteContext } from './suite';

export function customersSuite(ctx: ConsoleSuiteContext): void {
  describe('customers', () => {
    it('lists the accounts the API finds for a search and opens one', async () => {
      const harness = ctx.harness();
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const api = harness.api(manager);
      const first = (await unwrap(api.GET('/api/v1/accounts', { params: { query: { limit: 1 } } }))).items[0];
      if (!first) throw new Error('no account in the demo data');
      const q = first.name.split(' ')[0] ?? first.name;
      const expected = await unwrap(api.GET('/api/v1/accounts', { params: { query: { q, limit: 50 } } }));
      const tab = await harness.pageAs(manager);
      try {
        await tab.goto(`/customers?q=${encodeURIComponent(q)}`);
        await tab.page.getByTestId('account-link').first().waitFor();
        expect(await tab.page.getByTestId('account-link').allTextContents()).toEqual(expected.items.map((a) => a.name));
        await tab.page.getByTestId('account-link').filter({ hasText: first.name }).first().click();
        await tab.page.getByRole('heading', { level: 1, name: first.name }).waitFor();
      } finally {
        await tab.close();
      }
    });

    it("shows the account's summary figures and timeline exactly as the API has them", async () => {
      const harness = ctx.harness();
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const api = harness.api(manager);
      // An account with revenue: one whose orders the demo confirmed.
      const accounts = (await unwrap(api.GET('/api/v1/accounts', { params: { query: { limit: 50 } } }))).items;
      let chosen: { id: string; name: string } | undefined;
      for (const a of accounts) {
        const s = await unwrap(api.GET('/api/v1/accounts/{id}/summary', { params: { path: { id: a.id } } }));
        if (s.lifetimeRevenue.length && s.outstandingReceivables.length) {
          chosen = a;
          break;
        }
      }
      if (!chosen) throw new Error('no account with revenue in the demo data');
      const summary = await unwrap(api.GET('/api/v1/accounts/{id}/summary', { params: { path: { id: chosen.id } } }));
      const timeline = await unwrap(api.GET('/api/v1/accounts/{id}/timeline', { params: { path: { id: chosen.id }, query: { limit: 50 } } }));
      const contacts = await unwrap(api.GET('/api/v1/contacts', { params: { query: { accountId: chosen.id, limit: 50 } } }));
      const tab = await harness.pageAs(manager);
      try {
        await tab.goto(`/customers/${chosen.id}`);
        await tab.page.getByTestId('timeline-entry').first().waitFor();
        await tab.page.getByTestId('summary-lifetimeRevenue').waitFor();
        for (const [testId, amounts] of [
          ['summary-lifetimeRevenue', summary.lifetimeRevenue],
          ['summary-outstanding', summary.outstandingReceivables],
          ['summary-openPipeline', summary.openPipeline],
        ] as const) {
          for (const a of amounts) expect(await tab.page.getByTestId(`${testId}-${a.currency}`).textContent()).toBe(money(a.amount, a.currency));
          if (!amounts.length) expect(await tab.page.getByTestId(testId).textContent()).toBe('None');
        }
        const entries = tab.page.getByTestId('timeline-entry');
        expect(await entries.evaluateAll((e) => e.map((x) => x.getAttribute('data-id')))).toEqual(timeline.items.map((e) => e.id));
        expect(await tab.page.getByTestId('timeline-at').allTextContents()).toEqual(timeline.items.map((e) => dateTime(e.at)));
        expect(await tab.page.getByTestId('account-contact').count()).toBe(contacts.items.length);
        // An order's entry links to the order's page.
        const orderEntry = timeline.items.find((e) => e.recordKind === 'order');
        if (orderEntry) {
          await tab.page.locator(`[data-testid="timeline-entry"][data-id="${orderEntry.id}"]`).getByRole('link').click();
          await tab.page.waitForURL(`**/orders/${orderEntry.recordId}`);
          await tab.page.getByTestId('order-status').waitFor();
          await tab.page.goBack();
          await tab.page.getByTestId('timeline-entry').first().waitFor();
        }
        // The pointer leaves the link it clicked (a hovered link is lighter, which is not what the page shows).
        await tab.page.mouse.move(0, 0);
        await expectScreenSound(tab, 'account-page');
      } finally {
        await tab.close();
      }
    });

    it("shows a contact's History in a drawer and the account's own History, as the API lists them; a manager gets no erase", async () => {
      const harness = ctx.harness();
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const api = harness.api(manager);
      const accounts = (await unwrap(api.GET('/api/v1/accounts', { params: { query: { limit: 50 } } }))).items;
      let chosen: { account: string; contact: { id: string; name: string } } | undefined;
      for (const a of accounts) {
        const contact = (await unwrap(api.GET('/api/v1/contacts', { params: { query: { accountId: a.id, limit: 1 } } }))).items[0];
        if (contact) {
          chosen = { account: a.id, contact };
          break;
        }
      }
      if (!chosen) throw new Error('no account with a contact in the demo data');
      const trail = (recordType: string, recordId: string) =>
        unwrap(api.GET('/api/v1/audit/customers', { params: { query: { recordType, recordId, limit: 50 } } })).then((d) => d.items.map((e) => e.id));
      const ids = (scope: Locator) => scope.getByTestId('history-entry').evaluateAll((e) => e.map((x) => x.getAttribute('data-id')));
      const tab = await harness.pageAs(manager);
      try {
        await tab.goto(`/customers/${chosen.account}`);
        const panel = tab.page.getByTestId('history-panel');
        await panel.locator('[data-testid="history-entry"], .ant-empty').first().waitFor();
        expect(await ids(panel)).toEqual(await trail('account', chosen.account));

        await tab.page.locator(`[data-testid="account-contact"][data-id="${chosen.contact.id}"]`).getByTestId('contact-history').click();
        const drawer = tab.page.getByRole('dialog', { name: `History of ${chosen.contact.name}` });
        await drawer.locator('[data-testid="history-entry"], .ant-empty').first().waitFor();
        expect(await ids(drawer)).toEqual(await trail('contact', chosen.contact.id));
        expect(await tab.page.getByTestId('contact-export-personal-data').count()).toBe(0);
        expect(await tab.page.getByTestId('contact-erase-personal-data').count()).toBe(0);
        await expectScreenSound(tab, 'contact-history');
      } finally {
        await tab.close();
      }
    });
  });
}
