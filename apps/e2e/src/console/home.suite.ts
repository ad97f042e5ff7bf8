import { randomUUID } from 'node:crypto';
import { listAll, unwrap, type components } from '@crm/api-client';
import { eventually } from '@crm/testing';
import type { ConsoleHarness, ConsolePage, SignedIn } from './harness';
import { expectScreenSound, pickPerson, type ConsoleSuiteContext } from './suite';

type Lead = components['schemas']['LeadView'];
const HOUR = 3_600_000;

/** What the rep's home must show, read from the API with the rep's own token. */
async function expectedDay(harness: ConsoleHarness, session: SignedIn) {
  const api = harness.api(session);
  const repId = session.user.sub;
  const overdue = await listAll((cursor) => api.GET('/api/v1/follow-ups/overdue', { params: { query: { repId, cursor, limit: 200 } } }));
  const assigned = await listAll((cursor) => api.GET('/api/v1/leads', { params: { query: { ownerId: repId, status: 'assigned', cursor, limit: 200 } } }));
  const now = Date.now();
  const nearBreach = assigned.filter((l: Lead) => !l.firstFollowedUpAt && l.firstFollowUpDueAt && Date.parse(l.firstFollowUpDueAt) - now <= 24 * HOUR);
  const pipelines = await unwrap(api.GET('/api/v1/pipelines'));
  const limits = new Map(pipelines.flatMap((p) => p.stages.map((s) => [`${p.id}:${s.key}`, s.timeLimitHours] as const)));
  const open = await listAll((cursor) => api.GET('/api/v1/opportunities', { params: { query: { repId, status: 'open', cursor, limit: 200 } } }));
  const stageLate = open.filter((o) => {
    const limit = limits.get(`${o.pipelineId}:${o.stage}`);
    return !!limit && Date.parse(o.stageEnteredAt) + limit * HOUR <= now;
  });
  const alerts = await listAll((cursor) => api.GET('/api/v1/alerts', { params: { query: { repId, open: true, cursor, limit: 200 } } }));
  return { overdue, nearBreach, stageLate, alerts };
}

const countOf = async (tab: ConsolePage, id: string) => Number(await tab.page.getByTestId(`home-${id}-count`).innerText());
const rowsOf = (tab: ConsolePage, id: string) => tab.page.getByTestId(`home-${id}-row`).allInnerTexts();

export function homeSuite(ctx: ConsoleSuiteContext): void {
  describe('home', () => {
    it('shows a rep exactly their day as the API tells it: due next actions, deadlines, stage-overdue deals, order alerts', async () => {
      const harness = ctx.harness();
      const rep = await pickPerson(harness, 'sales_rep', 'east');
      const session = await harness.signIn(rep.id, 'sales_rep');
      const expected = await expectedDay(harness, session);
      for (const viewport of ['laptop', 'tablet'] as const) {
        const tab = await harness.pageAs(session, { viewport });
        try {
          await tab.goto('/');
          await tab.page.getByRole('heading', { level: 1, name: 'My day' }).waitFor();
          for (const id of ['next-actions', 'sla', 'stage', 'alerts']) await tab.page.getByTestId(`home-${id}-count`).waitFor();
          expect({
            nextActions: await countOf(tab, 'next-actions'),
            sla: await countOf(tab, 'sla'),
            stage: await countOf(tab, 'stage'),
            alerts: await countOf(tab, 'alerts'),
          }).toEqual({
            nextActions: expected.overdue.length,
            sla: expected.nearBreach.length,
            stage: expected.stageLate.length,
            alerts: expected.alerts.length,
          });
          // Long lists show their first rows; every row is there once opened.
          for (const more of await tab.page.getByRole('button', { name: /^Show all/ }).all()) await more.click();
          // The pointer left over a link would show its hover colour to the contrast check.
          await tab.page.mouse.move(0, 0);
          // Each row names its record: the next action promised, the waiting lead's contact, the deal's company, the alert's message.
          const nextActions = await rowsOf(tab, 'next-actions');
          for (const f of expected.overdue) expect(nextActions.some((r) => r.includes(f.nextAction ?? ''))).toBe(true);
          const sla = await rowsOf(tab, 'sla');
          for (const l of expected.nearBreach) expect(sla.some((r) => r.includes(l.contactName))).toBe(true);
          const stage = await rowsOf(tab, 'stage');
          for (const o of expected.stageLate) expect(stage.some((r) => r.includes(o.customer.company ?? o.customer.name))).toBe(true);
          const alerts = await rowsOf(tab, 'alerts');
          for (const a of expected.alerts) expect(alerts.some((r) => r.includes(a.message))).toBe(true);
          if (expected.alerts[0]) {
            const href = await tab.page.getByTestId('home-alerts-row').first().getByRole('link').getAttribute('href');
            expect(href).toBe(`/orders/${expected.alerts[0].orderId}`);
          }
          if (expected.overdue[0]) {
            // The lead's name comes from the lead itself once it is read.
            const lead = await unwrap(harness.api(session).GET('/api/v1/leads/{id}', { params: { path: { id: expected.overdue[0].leadId } } }));
            await tab.page.getByTestId('home-next-actions').getByText(lead.contactName, { exact: false }).first().waitFor();
          }
          await expectScreenSound(tab, viewport === 'laptop' ? 'home' : 'home-tablet');
        } finally {
          await tab.close();
        }
      }
    });

    it("shows a manager their team's day, and one rep's when picked", async () => {
      const harness = ctx.harness();
      const manager = await pickPerson(harness, 'sales_manager', 'east');
      const rep = await pickPerson(harness, 'sales_rep', 'east');
      const session = await harness.signIn(manager.id, 'sales_manager');
      const api = harness.api(session);
      const alertsOf = (repId?: string) => listAll((cursor) => api.GET('/api/v1/alerts', { params: { query: { repId, open: true, cursor, limit: 200 } } }));
      const tab = await harness.pageAs(session);
      try {
        await tab.goto('/');
        await tab.page.getByRole('heading', { level: 1, name: "My team's day" }).waitFor();
        await tab.page.getByTestId('home-alerts-count').waitFor();
        expect(await countOf(tab, 'alerts')).toBe((await alertsOf()).length);
        await tab.page.getByRole('combobox', { name: 'Rep' }).click();
        await tab.page.keyboard.type(rep.name);
        await tab.page.keyboard.press('Enter');
        await tab.page.getByRole('heading', { level: 1, name: `${rep.name}'s day` }).waitFor();
        const expected = (await alertsOf(rep.id)).length;
        await eventually(async () => expect(await countOf(tab, 'alerts')).toBe(expected), { timeoutMs: 10_000 });
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('the bell shows a reminder without a reload', async () => {
      const harness = ctx.harness();
      // Another team's rep than the screen test's, so the reminder raised here changes nobody else's figures.
      const rep = await pickPerson(harness, 'sales_rep', 'south');
      const session = await harness.signIn(rep.id, 'sales_rep');
      const api = harness.api(session);
      const lead =
        (await unwrap(api.GET('/api/v1/leads', { params: { query: { ownerId: rep.id, status: 'contacted', limit: 1 } } }))).items[0] ??
        (await unwrap(api.GET('/api/v1/leads', { params: { query: { ownerId: rep.id, status: 'qualified', limit: 1 } } }))).items[0];
      if (!lead) throw new Error(`${rep.name} has no open lead to follow up`);
      const tab = await harness.pageAs(session);
      try {
        await tab.goto('/');
        const bell = tab.page.getByTestId('notification-bell');
        await bell.waitFor();
        const unreadOf = async () => Number(/(\d+) unread/.exec((await bell.getAttribute('aria-label')) ?? '')?.[1] ?? 0);
        await eventually(async () => expect((await unwrap(api.GET('/api/v1/notifications/unread-count'))).unread).toBe(await unreadOf()), {
          timeoutMs: 10_000,
        });
        const before = await unreadOf();
        await bell.click();
        await tab.page.getByTestId('notification-list').waitFor();

        // A follow-up whose next action is already due: the notifications service's scan raises "next action due".
        const action = `Send the revised quote ${randomUUID().slice(0, 8)}`;
        const navigations: string[] = [];
        tab.page.on('framenavigated', (f) => f === tab.page.mainFrame() && navigations.push(f.url()));
        await unwrap(
          api.POST('/api/v1/leads/{id}/follow-ups', {
            params: { path: { id: lead.id }, header: { 'Idempotency-Key': randomUUID() } },
            body: {
              channel: 'call',
              content: 'Customer asked for a revised quote',
              nextAction: action,
              nextActionDueAt: new Date(Date.now() - 60_000).toISOString(),
            },
          }),
        );
        // The scan runs every NOTIFICATIONS_SCAN_INTERVAL_MS (30 s by default): bounded well above it.
        await tab.page.getByTestId('notification-list').getByText(action).waitFor({ timeout: 90_000 });
        // It also pops up as a toast.
        await tab.page.locator('.ant-notification-notice').filter({ hasText: 'Next action due' }).first().waitFor({ timeout: 5_000 });
        await eventually(async () => expect(await unreadOf()).toBeGreaterThan(before), { timeoutMs: 10_000 });
        expect(navigations).toEqual([]);
        const item = tab.page.getByTestId('notification-item').filter({ hasText: action });
        expect(await item.innerText()).toContain('Next action due');
        await expectScreenSound(tab, 'notifications');

        // Opening it goes to the lead and marks it read.
        const countBefore = await unreadOf();
        await item.click();
        await tab.page.waitForURL(`**/leads/${lead.id}`);
        await eventually(async () => expect(await unreadOf()).toBe(countBefore - 1), { timeoutMs: 10_000 });
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });
  });
}
