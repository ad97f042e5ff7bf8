import { randomUUID } from 'node:crypto';
import { unwrap } from '@crm/api-client';
import { eventually } from '@crm/testing';
import { signedWebForm } from '../journey.helpers';
import { convertLeadInBrowser } from './leads.suite';
import { expectOrderInBrowser } from './orders.suite';
import { winOpportunityInBrowser } from './pipeline.suite';
import { expectScreenSound, signInAs, type ConsoleSuiteContext } from './suite';

// The web-form secret `npm start` gives the leads service when none is set (tools/start.sh).
const WEBFORM_SECRET = process.env.LEADS_WEBFORM_SECRET ?? 'local-webform-secret-change-me-0123456789';

// The first journey, in the browser only: a lead from the website reaches its rep, who works it on the lead
// page, wins the deal on the opportunity page and finds the order the win drafted in the orders list.
export function journeySuite(ctx: ConsoleSuiteContext): void {
  describe('a rep’s journey', () => {
    it('takes a web-form lead to a won deal and sees its order, all in the console', async () => {
      const harness = ctx.harness();
      const admin = harness.api(await signInAs(harness, 'admin'));
      const company = `Console Journey ${randomUUID().slice(0, 8)} Pumps Ltd.`;
      await unwrap(
        signedWebForm(admin, WEBFORM_SECRET, {
          name: '赵敏',
          email: `zhao.min.${randomUUID().slice(0, 8)}@journey.example`,
          company,
          region: 'east',
          productInterest: 'pumps',
          needs: 'Two circulation pumps for a new plant',
        }),
      );
      // The assignment rules route it to a rep of the east team.
      const lead = await eventually(
        async () => {
          const found = (await unwrap(admin.GET('/api/v1/leads', { params: { query: { q: company } } }))).items[0];
          expect(found?.ownerRepId).toEqual(expect.any(String));
          return found!;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      const rep = await harness.signIn(lead.ownerRepId!, 'sales_rep');
      const tab = await harness.pageAs(rep);
      try {
        // The rep finds the new lead in their list by its company and opens it.
        await tab.goto(`/leads?q=${encodeURIComponent(company)}`);
        await tab.page.getByTestId('lead-table').getByRole('link', { name: '赵敏' }).click();
        await tab.page.waitForURL(`**/leads/${lead.id}`);
        const opportunityId = await convertLeadInBrowser(tab, lead.id);
        await winOpportunityInBrowser(tab, opportunityId);
        expect((await unwrap(harness.api(rep).GET('/api/v1/opportunities/{id}', { params: { path: { id: opportunityId } } }))).status).toBe('won');
        const orderId = await expectOrderInBrowser(tab, { opportunityId });
        const order = await unwrap(harness.api(rep).GET('/api/v1/orders/{id}', { params: { path: { id: orderId } } }));
        expect(order.opportunityId).toBe(opportunityId);
        await tab.page.getByTestId('order-status').waitFor();
        await expectScreenSound(tab, 'journey-order');
      } finally {
        await tab.close();
      }
    });
  });
}
