// The pipeline in the browser: the board's totals against the summary API, a refused and an accepted move (by
// drag), and the opportunity page (score factors, a task, the win and the order drafted from it).
import { idempotencyKey, ifMatch, unwrap, type CrmClient } from '@crm/api-client';
import type { ConsoleHarness, ConsolePage, Identity, SignedIn } from './harness';
import { expectScreenSound, shownMoney as money, type ConsoleSuiteContext } from './suite';

/** A rep and a manager of the south team, away from the east team other screens' tests sign in as. */
async function southPeople(harness: ConsoleHarness): Promise<{ rep: Identity; manager: Identity }> {
  const people = await harness.identities();
  const rep = people.filter((p) => p.suggestedRole === 'sales_rep' && p.team === 'south').at(-1);
  const manager = people.find((p) => p.suggestedRole === 'sales_manager' && p.team === 'south');
  if (!rep || !manager) throw new Error('the demo has no south rep or manager');
  return { rep, manager };
}

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A fresh open opportunity of the signed-in rep, in the first stage, with nothing of its exit criteria met. */
export async function createOpportunity(api: CrmClient, company: string, amount = '12345.67') {
  const close = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);
  return unwrap(
    api.POST('/api/v1/opportunities', {
      params: { header: idempotencyKey() },
      body: {
        customer: { name: 'Test Buyer', company },
        currency: 'CNY',
        expectedAmount: amount,
        expectedCloseDate: close,
        region: 'south',
        productLine: 'pumps',
      },
    }),
  );
}

/** The board's column of a stage, and a card in it. */
const column = (tab: ConsolePage, stage: string) => tab.page.locator(`[data-testid="pipeline-column"][data-stage="${stage}"]`);
const card = (tab: ConsolePage, id: string) => tab.page.locator(`[data-testid="pipeline-card"][data-id="${id}"]`);

/** Drags a card by its handle onto a stage's column with the mouse (the pointer sensor needs real moves). */
async function dragCard(tab: ConsolePage, id: string, toStage: string): Promise<void> {
  const handle = card(tab, id).getByRole('button', { name: /^Drag / });
  await handle.scrollIntoViewIfNeeded();
  const from = (await handle.boundingBox())!;
  // The columns stretch to the tallest one: the target column is there at the card's height.
  const to = (await column(tab, toStage).boundingBox())!;
  const mouse = tab.page.mouse;
  await mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await mouse.down();
  await mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2, { steps: 3 });
  await mouse.move(to.x + to.width / 2, from.y + from.height / 2, { steps: 12 });
  await mouse.up();
}

/** The board's totals of each open stage equal GET /api/v1/pipeline/summary for the same scope, and its cards the count. */
async function expectTotalsMatch(tab: ConsolePage, api: CrmClient, scope: { repId?: string; team?: string }): Promise<void> {
  const summary = await unwrap(api.GET('/api/v1/pipeline/summary', { params: { query: scope } }));
  const open = summary.stages.filter((s) => !s.outcome);
  expect(open.length).toBeGreaterThan(0);
  for (const stage of open) {
    const col = column(tab, stage.stage);
    await col
      .getByTestId('stage-count')
      .and(tab.page.locator(`[data-count="${stage.count}"]`))
      .waitFor({ timeout: 10_000 });
    expect(await col.getByTestId('pipeline-card').count()).toBe(stage.count);
    const shown = await col
      .getByTestId('stage-amount')
      .evaluateAll((els) => els.map((e) => ({ currency: e.getAttribute('data-currency'), amount: e.getAttribute('data-amount'), text: e.textContent })));
    const byCurrency = (a: { currency: string | null }, b: { currency: string | null }) => (a.currency ?? '').localeCompare(b.currency ?? '');
    expect({ stage: stage.stage, totals: shown.sort(byCurrency) }).toEqual({
      stage: stage.stage,
      totals: stage.totals.map((t) => ({ currency: t.currency, amount: t.amount, text: money(t.amount, t.currency) })).sort(byCurrency),
    });
  }
}

/**
 * Moves an opportunity through the open stages on its page, meeting each stage's exit criteria through the UI
 * (custom fields, product lines, tasks), then wins it. The tab must be signed in as someone who may work it.
 */
export async function winOpportunityInBrowser(tab: ConsolePage, opportunityId: string): Promise<void> {
  const page = tab.page;
  await tab.goto(`/opportunities/${opportunityId}`);
  await page.getByTestId('opp-stage').waitFor();
  for (let step = 0; step < 10; step++) {
    for (const item of await page.locator('[data-testid="exit-criteria"] li[data-met="false"]').all()) {
      const name = (await item.getAttribute('data-criterion'))!;
      const kind = await item.getAttribute('data-kind');
      if (name === 'lines') await addLine(tab);
      else if (kind === 'task') await addAndCompleteTask(tab, name, `Task ${name}`);
      else {
        await page.getByTestId(`field-${name}`).fill(`https://docs.example/${name}-${opportunityId}.pdf`);
        await page.getByRole('button', { name: /^(Save|保存)$/ }).click();
      }
      await page.locator(`[data-testid="exit-criteria"] li[data-criterion="${name}"][data-met="true"]`).waitFor();
    }
    const next = page.getByTestId('next-stage');
    if (!(await next.count())) break;
    const before = await page.getByTestId('opp-stage').textContent();
    await next.click();
    await page
      .getByTestId('opp-stage')
      .filter({ hasNotText: before ?? '' })
      .waitFor();
  }
  if (!(await page.locator('[data-testid="lines"] tbody tr.ant-table-row').count())) await addLine(tab);
  await page.getByTestId('win').click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /^(Mark as won|标记赢单)$/ })
    .click();
  await page
    .getByTestId('opp-status')
    .filter({ hasText: /^(Won|赢单)$/ })
    .waitFor();
}

async function addLine(tab: ConsolePage): Promise<void> {
  const page = tab.page;
  const rows = page.locator('[data-testid="lines"] tbody tr.ant-table-row');
  const before = await rows.count();
  await page.getByTestId('line-sku').fill('PUMP-200');
  await page.getByTestId('line-product').fill('Centrifugal pump 200 W');
  await page.getByTestId('line-quantity').fill('3');
  await page.getByTestId('line-price').fill('1999.90');
  await page.getByRole('button', { name: /^(Add line|添加明细)$/ }).click();
  await rows.nth(before).waitFor();
}

async function addAndCompleteTask(tab: ConsolePage, key: string, title: string): Promise<void> {
  const page = tab.page;
  await page.getByTestId('task-title').fill(title);
  await page.getByRole('combobox', { name: /^(Key|标识)$/ }).fill(key);
  await page.getByRole('button', { name: /^(Add task|添加任务)$/ }).click();
  const item = page.locator(`[data-testid="tasks"] [data-task="${key}"]`).filter({ hasText: title });
  await item.getByRole('button', { name: /Complete|完成/ }).click();
  await page.locator(`[data-testid="tasks"] [data-task="${key}"][data-done="true"]`).filter({ hasText: title }).waitFor();
}

export function pipelineSuite(ctx: ConsoleSuiteContext): void {
  describe('pipeline', () => {
    let rep: SignedIn;
    let manager: SignedIn;
    let repApi: CrmClient;

    beforeAll(async () => {
      const harness = ctx.harness();
      const people = await southPeople(harness);
      rep = await harness.signIn(people.rep.id, 'sales_rep');
      manager = await harness.signIn(people.manager.id, 'sales_manager');
      repApi = harness.api(rep);
    });

    it("shows the rep's board with each stage's totals as the summary API gives them; the manager's team board on a tablet too", async () => {
      const harness = ctx.harness();
      const tab = await harness.pageAs(rep);
      try {
        await tab.goto('/pipeline');
        await tab.page.getByTestId('pipeline-board').waitFor();
        await expectTotalsMatch(tab, repApi, { repId: rep.user.sub });
        await expectScreenSound(tab, 'pipeline-board');
      } finally {
        await tab.close();
      }
      const tablet = await harness.pageAs(manager, { viewport: 'tablet' });
      try {
        await tablet.goto('/pipeline');
        await tablet.page.getByTestId('pipeline-board').waitFor();
        await expectTotalsMatch(tablet, harness.api(manager), { team: manager.user.team });
        await expectScreenSound(tablet, 'pipeline-board-tablet');
      } finally {
        await tablet.close();
      }
    });

    it('refuses a drag whose exit criteria are unmet: the card stays and the unmet criteria are named', async () => {
      const name = unique('Refused Move Co');
      const opp = await createOpportunity(repApi, name);
      const tab = await ctx.harness().pageAs(rep);
      try {
        await tab.goto('/pipeline');
        await card(tab, opp.id).waitFor();
        await dragCard(tab, opp.id, 'proposal');
        const alert = tab.page.getByTestId('move-refused');
        await alert.waitFor();
        expect(await alert.textContent()).toContain(`${name} cannot move to Proposal`);
        expect(await alert.getByTestId('unmet-criteria').locator('li').allTextContents()).toEqual(['Needs analysis: fill in “Needs report”']);
        await column(tab, 'needs_analysis').locator(`[data-id="${opp.id}"]`).waitFor();
        expect(await column(tab, 'proposal').locator(`[data-id="${opp.id}"]`).count()).toBe(0);
        const after = await unwrap(repApi.GET('/api/v1/opportunities/{id}', { params: { path: { id: opp.id } } }));
        expect(after.stage).toBe('needs_analysis');
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('shows an accepted drag at once, with the totals moved, before the API has answered; the API confirms the stage', async () => {
      const opp = await createOpportunity(repApi, unique('Accepted Move Co'), '2000.50');
      const read = await repApi.GET('/api/v1/opportunities/{id}', { params: { path: { id: opp.id } } });
      await unwrap(
        repApi.PATCH('/api/v1/opportunities/{id}', {
          params: { path: { id: opp.id }, header: ifMatch(read) },
          body: { fields: { needsReport: 'https://docs.example/needs.pdf' } },
        }),
      );
      const tab = await ctx.harness().pageAs(rep);
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      try {
        await tab.goto('/pipeline');
        await card(tab, opp.id).waitFor();
        const countOf = async (stage: string) => Number(await column(tab, stage).getByTestId('stage-count').getAttribute('data-count'));
        const [fromBefore, toBefore] = [await countOf('needs_analysis'), await countOf('proposal')];
        // Hold the API's answer: what the board shows meanwhile is the optimistic move.
        await tab.page.route('**/api/v1/opportunities/*/stage', async (route) => {
          await held;
          await route.continue();
        });
        await dragCard(tab, opp.id, 'proposal');
        await column(tab, 'proposal').locator(`[data-id="${opp.id}"]`).waitFor({ timeout: 10_000 });
        expect([await countOf('needs_analysis'), await countOf('proposal')]).toEqual([fromBefore - 1, toBefore + 1]);
        release();
        await tab.page.getByText(/moved to Proposal/).waitFor();
        const after = await unwrap(repApi.GET('/api/v1/opportunities/{id}', { params: { path: { id: opp.id } } }));
        expect(after.stage).toBe('proposal');
        await expectTotalsMatch(tab, repApi, { repId: rep.user.sub });
      } finally {
        release();
        await tab.close();
      }
    });

    it('moves a card without a mouse: by keyboard drag, and through its "Move to…" menu', async () => {
      const opp = await createOpportunity(repApi, unique('Keyboard Move Co'), '310.00');
      const read = await repApi.GET('/api/v1/opportunities/{id}', { params: { path: { id: opp.id } } });
      await unwrap(
        repApi.PATCH('/api/v1/opportunities/{id}', {
          params: { path: { id: opp.id }, header: ifMatch(read) },
          body: {
            fields: { needsReport: 'https://docs.example/needs.pdf' },
            lines: [{ sku: 'VALVE-10', productName: 'Valve', quantity: 2, unitPrice: '155.00' }],
          },
        }),
      );
      const tab = await ctx.harness().pageAs(rep);
      try {
        await tab.goto('/pipeline');
        const handle = card(tab, opp.id).getByRole('button', { name: /^Drag / });
        await handle.focus();
        await tab.page.keyboard.press('Space');
        const target = (await column(tab, 'proposal').boundingBox())!;
        const start = (await handle.boundingBox())!;
        // The keyboard sensor moves the card 25 px a press: far enough to be over the next column.
        for (let moved = 0; moved < target.x + 40 - start.x; moved += 25) await tab.page.keyboard.press('ArrowRight');
        await tab.page.keyboard.press('Space');
        await column(tab, 'proposal').locator(`[data-id="${opp.id}"]`).waitFor();
        await tab.page.getByText(/moved to Proposal/).waitFor();
        expect((await unwrap(repApi.GET('/api/v1/opportunities/{id}', { params: { path: { id: opp.id } } }))).stage).toBe('proposal');

        await card(tab, opp.id)
          .getByRole('button', { name: /^Move .* to another stage$/ })
          .click();
        await tab.page.getByRole('menuitem', { name: 'Contract' }).click();
        await column(tab, 'contract').locator(`[data-id="${opp.id}"]`).waitFor();
        await tab.page.getByText(/moved to Contract/).waitFor();
        expect((await unwrap(repApi.GET('/api/v1/opportunities/{id}', { params: { path: { id: opp.id } } }))).stage).toBe('contract');
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });

    it('shows the score factors as the API gives them, adds and completes a task, and wins the deal, which drafts an order', async () => {
      const opp = await createOpportunity(repApi, unique('Won Deal Co'));
      const detail = await unwrap(repApi.GET('/api/v1/opportunities/{id}', { params: { path: { id: opp.id } } }));
      const tab = await ctx.harness().pageAs(rep);
      try {
        await tab.goto(`/opportunities/${opp.id}`);
        await tab.page.getByTestId('score-factors').waitFor();
        const factors = await tab.page
          .locator('[data-testid="score-factors"] li')
          .evaluateAll((els) => els.map((e) => ({ factor: e.getAttribute('data-factor'), contribution: Number(e.getAttribute('data-contribution')) })));
        expect(factors).toEqual(detail.scoreFactors.map((f) => ({ factor: f.factor, contribution: f.contribution })));
        for (const f of detail.scoreFactors) {
          const shown = await tab.page.locator(`[data-factor="${f.factor}"] [data-testid="factor-contribution"]`).textContent();
          expect(shown).toContain(
            `${f.contribution < 0 ? '−' : '+'}${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(Math.abs(f.contribution))}`,
          );
          await tab.page.getByText(f.explanation, { exact: true }).waitFor();
        }
        expect(await tab.page.getByTestId('opp-score').textContent()).toBe(new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(detail.score));
        await expectScreenSound(tab, 'opportunity');

        const title = unique('Site visit');
        await addAndCompleteTask(tab, 'site_visit', title);
        const withTask = await unwrap(repApi.GET('/api/v1/opportunities/{id}', { params: { path: { id: opp.id } } }));
        expect(withTask.tasks.find((t) => t.title === title)).toMatchObject({ key: 'site_visit', doneAt: expect.any(String) });

        await winOpportunityInBrowser(tab, opp.id);
        const won = await unwrap(repApi.GET('/api/v1/opportunities/{id}', { params: { path: { id: opp.id } } }));
        expect(won).toMatchObject({ status: 'won', stage: 'won', wonAmount: expect.any(String) });
        const link = tab.page.getByTestId('won-order');
        await link.waitFor({ timeout: 30_000 });
        const orderId = (await link.getAttribute('href'))!.split('/').pop()!;
        const order = await unwrap(repApi.GET('/api/v1/orders/{id}', { params: { path: { id: orderId } } }));
        expect(order.opportunityId).toBe(opp.id);
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    });
  });
}
