// Leads: the list as the API answers it (filters, search, sort in the URL), saved views, the CSV import's
// per-line errors, and a lead worked on its page (follow-up in two clicks, qualify, convert).
import { randomUUID } from 'node:crypto';
import { unwrap } from '@crm/api-client';
import type { ConsolePage } from './harness';
import { expectScreenSound, signInAs, type ConsoleSuiteContext } from './suite';

const TAG = randomUUID().slice(0, 8);

/** The contact names the table shows now, in order. */
async function tableNames(tab: ConsolePage): Promise<string[]> {
  return tab.page.locator('[data-testid="lead-table"] tbody tr.ant-table-row td:first-child a').allInnerTexts();
}

async function pickOption(tab: ConsolePage, selectId: string, title: string): Promise<void> {
  await tab.page.locator(`#${selectId}`).click();
  await tab.page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${title}"]`).click();
}

/** Waits until the table shows exactly `names` (the list refetches after each change). */
async function expectTable(tab: ConsolePage, names: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  let shown: string[] = [];
  while (Date.now() < deadline) {
    shown = await tableNames(tab);
    if (JSON.stringify(shown) === JSON.stringify(names)) return;
    await tab.page.waitForTimeout(200);
  }
  expect(shown).toEqual(names);
}

/**
 * Works a lead on its page through the UI, as its owner (or their manager) in `tab`: a follow-up in two clicks,
 * qualify, convert; answers the id of the opportunity it became (the page it ends on).
 */
export async function convertLeadInBrowser(tab: ConsolePage, leadId: string): Promise<string> {
  const page = tab.page;
  await tab.goto(`/leads/${leadId}`);
  const note = `Called about pumps, wants a quote ${randomUUID().slice(0, 6)}`;
  await page.getByTestId('follow-up-add').click();
  await page.getByTestId('follow-up-content').fill(note);
  await page.getByTestId('follow-up-save').click();
  await page.getByTestId('follow-up-log').getByText(note).waitFor();
  await page.getByTestId('lead-qualify').click();
  await page.getByTestId('lead-action-ok').click();
  await page.getByTestId('lead-convert').waitFor();
  await page.getByTestId('lead-convert').click();
  await page.getByTestId('lead-action-ok').click();
  await page.getByTestId('lead-open-opportunity').click();
  await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}/);
  return /\/opportunities\/([0-9a-f-]{36})/.exec(page.url())![1];
}

export function leadsSuite(ctx: ConsoleSuiteContext): void {
  describe('leads', () => {
    it('lists leads with a filter and a search as the API answers them, keeps them in the URL, and sorts by a column', async () => {
      const harness = ctx.harness();
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const api = harness.api(manager);
      const some = (await unwrap(api.GET('/api/v1/leads', { params: { query: { status: 'assigned', limit: 5 } } }))).items;
      expect(some.length).toBeGreaterThan(0);
      const q = some[0].contactName.slice(0, 2);
      const expected = (await unwrap(api.GET('/api/v1/leads', { params: { query: { status: 'assigned', q, limit: 50 } } }))).items.map((l) => l.contactName);
      const tab = await harness.pageAs(manager);
      try {
        await tab.goto('/leads');
        await tab.page.locator('[data-testid="lead-table"] tbody tr.ant-table-row').first().waitFor();
        await pickOption(tab, 'lf-status', 'Assigned');
        await tab.page.locator('#lf-q').fill(q);
        await tab.page.locator('#lf-q').press('Enter');
        await tab.page.waitForURL(/[?&]q=/);
        const url = new URL(tab.page.url());
        expect([url.searchParams.get('status'), url.searchParams.get('q')]).toEqual(['assigned', q]);
        await expectTable(tab, expected);
        await expectScreenSound(tab, 'leads-list');

        // Sorting by score from its header asks the API for `sort=score`.
        const byScore = (await unwrap(api.GET('/api/v1/leads', { params: { query: { status: 'assigned', q, sort: 'score', limit: 50 } } }))).items.map(
          (l) => l.contactName,
        );
        await tab.page.getByRole('columnheader', { name: /Score/ }).click();
        await tab.page.waitForURL(/sort=score/);
        await expectTable(tab, byScore);

        // The back button walks back through the list's states; a shared link opens the same list.
        await tab.page.goBack();
        await expectTable(tab, expected);
        const link = tab.page.url();
        const other = await harness.pageAs(manager, { viewport: 'tablet' });
        try {
          await other.page.goto(link);
          await expectTable(other, expected);
          await expectScreenSound(other, 'leads-list-tablet');
        } finally {
          await other.close();
        }
      } finally {
        await tab.close();
      }
    });

    it('saves the current filters as a view, applies it again from the picker, and deletes it', async () => {
      const harness = ctx.harness();
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const api = harness.api(manager);
      const expected = (await unwrap(api.GET('/api/v1/leads', { params: { query: { status: 'contacted', sort: '-score', limit: 50 } } }))).items.map(
        (l) => l.contactName,
      );
      const name = `Contacted by score ${TAG}`;
      const tab = await harness.pageAs(manager);
      try {
        await tab.goto('/leads?status=contacted&sort=-score');
        await expectTable(tab, expected);
        await tab.page.getByTestId('saved-view-save').click();
        await tab.page.getByTestId('saved-view-name').fill(name);
        await tab.page.getByTestId('saved-view-name').press('Enter');
        await tab.page.getByText(`View "${name}" saved.`).waitFor();

        await tab.goto('/leads');
        expect(new URL(tab.page.url()).search).toBe('');
        await pickOption(tab, 'lead-saved-view', name);
        await tab.page.waitForURL(/status=contacted/);
        const url = new URL(tab.page.url());
        expect([url.searchParams.get('status'), url.searchParams.get('sort')]).toEqual(['contacted', '-score']);
        await expectTable(tab, expected);

        await tab.page.getByRole('button', { name: 'Delete view' }).click();
        await tab.page.locator('.ant-popconfirm:visible').getByRole('button', { name: /OK|确/ }).click();
        await tab.page.getByText('View deleted.').waitFor();
        await tab.page.locator('#lead-saved-view').click();
        expect(await tab.page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${name}"]`).count()).toBe(0);
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('imports a CSV file and shows each rejected line with its number and reason', async () => {
      const harness = ctx.harness();
      const manager = await signInAs(harness, 'sales_manager', 'east');
      const tab = await harness.pageAs(manager);
      const csv = [
        'name,email,phone,company,source,campaign',
        `Import Good ${TAG},good-${TAG}@acme.example,,Acme,trade_show,Fair`,
        `Import Bad ${TAG},,,Acme,trade_show,Fair`,
      ].join('\n');
      try {
        await tab.goto('/leads');
        await tab.page.getByTestId('lead-import').click();
        await tab.page.getByTestId('lead-import-file').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        await tab.page.getByTestId('lead-import-submit').click();
        const result = tab.page.getByTestId('lead-import-result');
        await result.waitFor();
        expect(await result.getByRole('status').innerText()).toMatch(/^1 imported, 0 merged into open leads, 1 lines rejected/);
        const rows = await result.locator('tbody tr.ant-table-row').allInnerTexts();
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row).toMatch(/^3\t/);
        expect(rows.join('\n')).toMatch(/email|phone/i);
        await tab.page.mouse.move(0, 0);
        await expectScreenSound(tab, 'lead-import-result');
      } finally {
        await tab.close();
      }
    });

    it("shows the API's field errors of a new lead beside their fields", async () => {
      const harness = ctx.harness();
      const rep = await signInAs(harness, 'sales_rep', 'east');
      const tab = await harness.pageAs(rep);
      try {
        await tab.goto('/leads');
        await tab.page.getByTestId('lead-new').click();
        const form = tab.page.getByTestId('lead-new-form');
        await form.getByLabel('Contact name').fill(`No Contact ${TAG}`);
        await form.getByLabel('E-mail').fill('not-an-email');
        await tab.page.getByRole('dialog').getByRole('button', { name: 'Save', exact: true }).click();
        // The e-mail field names the API's message under it (the form itself checks only the name).
        const item = form.locator('.ant-form-item').filter({ has: tab.page.getByLabel('E-mail') });
        await item.locator('.ant-form-item-explain-error').first().waitFor();
        expect(await item.locator('.ant-form-item-explain-error').first().innerText()).toMatch(/email/i);
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('works a lead on its page: a follow-up added in two clicks is in the log and the API, then qualify and convert move its status', async () => {
      const harness = ctx.harness();
      const admin = await signInAs(harness, 'admin');
      const adminApi = harness.api(admin);
      const created = await unwrap(
        adminApi.POST('/api/v1/leads', {
          params: { header: { 'Idempotency-Key': randomUUID() } },
          body: {
            name: `Zhou Lead ${TAG}`,
            email: `zhou-${TAG}@acme.example`,
            company: 'Acme Pumps',
            region: 'east',
            productInterest: 'pumps',
            source: 'phone',
          },
        }),
      );
      const ownerId = created.lead?.ownerRepId;
      expect(ownerId).toBeTruthy();
      const owner = await harness.signIn(ownerId!, 'sales_rep');
      const tab = await harness.pageAs(owner);
      try {
        await tab.goto(`/leads/${created.leadId}`);
        await tab.page.getByTestId('lead-details').getByText('Acme Pumps').waitFor();
        await tab.page.getByTestId('lead-owner').filter({ hasText: owner.user.name }).waitFor();
        await expectScreenSound(tab, 'lead-page');

        const opportunityId = await convertLeadInBrowser(tab, created.leadId);
        const api = harness.api(owner);
        const lead = await unwrap(api.GET('/api/v1/leads/{id}', { params: { path: { id: created.leadId } } }));
        expect([lead.status, lead.opportunityId]).toEqual(['converted', opportunityId]);
        const log = await unwrap(api.GET('/api/v1/leads/{id}/follow-ups', { params: { path: { id: created.leadId } } }));
        expect(log.items.map((f) => [f.channel, f.repId])).toEqual([['call', ownerId]]);
        expect(log.items[0].content).toMatch(/^Called about pumps/);
        expect(lead.qualifiedAt).toBeTruthy();
      } finally {
        await tab.close();
      }
    });
  });
}
