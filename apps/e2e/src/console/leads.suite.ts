// Leads: the list as the API answers it (filters, search, sort in the URL), saved views, the CSV import's
// per-line errors, a lead worked on its page (follow-up in two clicks, qualify, convert), its History, and an
// admin's export and erasure of a lead's personal data.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ApiProblem, exportChecksum, ifMatch, PERSONAL_DATA_SERVICES, unwrap, type CrmClient, type PersonalDataExport } from '@crm/api-client';
import type { ConsolePage } from './harness';
import { expectScreenSound, shownDateTime as dateTime, signInAs, type ConsoleSuiteContext } from './suite';

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

/** Edits a lead through the API on the version it reads now (the service itself may move it on meanwhile). */
async function editLead(api: CrmClient, id: string, body: { company?: string; email?: string }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const read = await api.GET('/api/v1/leads/{id}', { params: { path: { id } } });
    await unwrap(read);
    try {
      await unwrap(api.PATCH('/api/v1/leads/{id}', { params: { path: { id }, header: ifMatch(read) }, body }));
      return;
    } catch (error) {
      if (!(error instanceof ApiProblem && error.status === 412) || attempt === 5) throw error;
    }
  }
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

    it('shows a lead’s History: an edit with its old and new values, in clear for an admin and masked for the rep', async () => {
      const harness = ctx.harness();
      const admin = await signInAs(harness, 'admin');
      const adminApi = harness.api(admin);
      const created = await unwrap(
        adminApi.POST('/api/v1/leads', {
          params: { header: { 'Idempotency-Key': randomUUID() } },
          body: { name: `History Lead ${TAG}`, email: `hist-${TAG}@acme.example`, company: 'Acme', region: 'east', productInterest: 'pumps', source: 'phone' },
        }),
      );
      const newEmail = `hist-new-${TAG}@acme.example`;
      await editLead(adminApi, created.leadId, { company: 'Acme Pumps East', email: newEmail });
      const trail = await unwrap(adminApi.GET('/api/v1/audit/leads', { params: { query: { recordType: 'lead', recordId: created.leadId, limit: 50 } } }));
      const edit = trail.items.find((e) => e.action === 'updated' && e.changes.some((c) => c.field === 'company'));
      expect(edit).toBeDefined();

      const tab = await harness.pageAs(admin);
      try {
        await tab.goto(`/leads/${created.leadId}`);
        const entry = tab.page.locator(`[data-testid="history-entry"][data-id="${edit!.id}"]`);
        await entry.waitFor();
        // Newest first, in the API's order (the service may append more meanwhile); the time in the user's zone.
        const shown = await tab.page.getByTestId('history-entry').evaluateAll((e) => e.map((x) => x.getAttribute('data-id')));
        expect(shown).toEqual(expect.arrayContaining(trail.items.map((e) => e.id)));
        const listed = (
          await unwrap(adminApi.GET('/api/v1/audit/leads', { params: { query: { recordType: 'lead', recordId: created.leadId, limit: 50 } } }))
        ).items.map((e) => e.id);
        expect(shown).toEqual(listed.filter((id) => shown.includes(id)));
        expect(await entry.getByTestId('history-action').innerText()).toBe('Edited');
        expect(await entry.getByTestId('history-at').innerText()).toBe(dateTime(edit!.at));
        expect(await entry.getByTestId('history-actor').innerText()).toMatch(/^by /);
        const company = entry.locator('[data-testid="history-change"][data-field="company"]');
        expect([await company.getByTestId('history-old').innerText(), await company.getByTestId('history-new').innerText()]).toEqual([
          'Acme',
          'Acme Pumps East',
        ]);
        expect(await entry.locator('[data-testid="history-change"][data-field="email"] [data-testid="history-new"]').innerText()).toBe(newEmail);
        await expectScreenSound(tab, 'lead-history');
      } finally {
        await tab.close();
      }

      // The owner reads the same entry with the personal values masked as the API gives them, and no admin actions.
      const owner = await harness.signIn(created.lead!.ownerRepId!, 'sales_rep');
      const repTrail = await unwrap(
        harness.api(owner).GET('/api/v1/audit/leads', { params: { query: { recordType: 'lead', recordId: created.leadId, limit: 50 } } }),
      );
      const masked = repTrail.items.find((e) => e.id === edit!.id)!.changes.find((c) => c.field === 'email')!.new;
      expect(masked).not.toBe(newEmail);
      const repTab = await harness.pageAs(owner);
      try {
        await repTab.goto(`/leads/${created.leadId}`);
        const entry = repTab.page.locator(`[data-testid="history-entry"][data-id="${edit!.id}"]`);
        await entry.waitFor();
        expect(await entry.locator('[data-testid="history-change"][data-field="email"] [data-testid="history-new"]').innerText()).toBe(masked);
        expect(await repTab.page.getByTestId('lead-export-personal-data').count()).toBe(0);
        expect(await repTab.page.getByTestId('lead-erase-personal-data').count()).toBe(0);
        expect(repTab.errors).toEqual([]);
      } finally {
        await repTab.close();
      }
    });

    it('lets an admin export a lead’s personal data as one file with every service’s part, then erase the lead, which then reads [erased]', async () => {
      const harness = ctx.harness();
      const admin = await signInAs(harness, 'admin');
      const api = harness.api(admin);
      const name = `Erase Me ${TAG}`;
      const email = `erase-${TAG}@acme.example`;
      const created = await unwrap(
        api.POST('/api/v1/leads', {
          params: { header: { 'Idempotency-Key': randomUUID() } },
          body: { name, email, company: 'Acme Valves', region: 'east', productInterest: 'valves', source: 'web_form', needs: `call me ${TAG}` },
        }),
      );
      const tab = await harness.pageAs(admin);
      try {
        await tab.goto(`/leads/${created.leadId}`);
        await tab.page.getByRole('heading', { level: 1, name }).waitFor();

        const [download] = await Promise.all([tab.page.waitForEvent('download'), tab.page.getByTestId('lead-export-personal-data').click()]);
        expect(download.suggestedFilename()).toBe(`personal-data-lead-${created.leadId}.json`);
        const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as PersonalDataExport;
        expect(file.subject).toEqual({ leadId: created.leadId });
        expect(Object.keys(file.parts).sort()).toEqual([...PERSONAL_DATA_SERVICES].sort());
        for (const service of PERSONAL_DATA_SERVICES) expect(file.parts[service]).toMatchObject({ service, subject: { leadId: created.leadId } });
        const leads = file.parts.leads.records.leads as { id: string; contactName: string; email: string }[];
        expect(leads.map((l) => [l.id, l.contactName, l.email])).toEqual([[created.leadId, name, email]]);
        expect(file.sha256).toBe(await exportChecksum(file));

        // The dialog wants a reason and the confirmation ticked; without the tick nothing is sent.
        await tab.page.getByTestId('lead-erase-personal-data').click();
        await tab.page.getByTestId('erase-reason').fill(`Asked by e-mail to delete their data, ticket ${TAG}`);
        await tab.page.getByTestId('erase-ok').click();
        await tab.page.getByRole('dialog').getByText('Tick the box to confirm').waitFor();
        expect((await unwrap(api.GET('/api/v1/leads/{id}', { params: { path: { id: created.leadId } } }))).erasedAt).toBeNull();
        await tab.page.getByTestId('erase-confirm').check();
        await tab.page.getByTestId('erase-ok').click();
        await tab.page.getByRole('heading', { level: 1, name: '[erased]' }).waitFor();
        await tab.page.getByText('The personal data has been erased.').waitFor();
        expect(await tab.page.getByTestId('lead-details').innerText()).not.toContain(email);
        expect(await tab.page.getByTestId('lead-erase-personal-data').count()).toBe(0);
        const after = await unwrap(api.GET('/api/v1/leads/{id}', { params: { path: { id: created.leadId } } }));
        expect([after.contactName, after.email, after.erasedAt]).toEqual(['[erased]', null, expect.any(String)]);
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('shows the 409’s message when an admin tries to erase a lead that became a contact', async () => {
      const harness = ctx.harness();
      const admin = await signInAs(harness, 'admin');
      const api = harness.api(admin);
      const converted = (await unwrap(api.GET('/api/v1/leads', { params: { query: { status: 'converted', limit: 50 } } }))).items;
      const linked = converted.find((l) => l.contactId && !l.erasedAt);
      if (!linked) throw new Error('no converted lead resolved to a contact in the demo data');
      const tab = await harness.pageAs(admin);
      try {
        await tab.goto(`/leads/${linked.id}`);
        await tab.page.getByTestId('lead-erase-personal-data').click();
        await tab.page.getByTestId('erase-reason').fill(`Asked by phone, ticket ${TAG}`);
        await tab.page.getByTestId('erase-confirm').check();
        await tab.page.getByTestId('erase-ok').click();
        const problem = tab.page.getByTestId('erase-problem');
        await problem.waitFor();
        expect(await problem.innerText()).toContain(linked.contactId!);
        expect(await problem.innerText()).toMatch(/erase the contact/i);
        expect((await unwrap(api.GET('/api/v1/leads/{id}', { params: { path: { id: linked.id } } }))).erasedAt).toBeNull();
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
