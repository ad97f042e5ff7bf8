import { randomUUID } from 'node:crypto';
import { createCrmClient, ifMatch, unwrap, type CrmClient } from '@crm/api-client';
import { BusinessCalendar, quarterLabel } from '@crm/calendar';
import {
  eventually,
  openStream,
  startSystem,
  startTestMailbox,
  type RunningGateway,
  type SseClient,
  type TestMailbox,
  type TestSystem,
  type TokenClaims,
} from '@crm/testing';
import { customerTrail, expectStatus, JOURNEY_TRAIL, publishPastLeads, setOwnSettings, signedWebForm } from './journey.helpers';

// The whole journey across the eight services as real processes on the real broker and database, driven the way
// a frontend drives it: through the gateway only, with the typed client generated from the API document (the live
// stream through the gateway too), each step by the role a real user would use. Booting eight processes and the
// gateway is most of the time (one to three minutes on a busy shared two-core machine); the tests take about 20 s.
jest.setTimeout(300_000);

const WEBFORM_SECRET = 'journey-webform-secret-0123456789';
const team = 'west';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const admin = { sub: 'admin-1', roles: ['admin'] };
// R&D for pumps: complaints about pump orders are routed to them.
const pumpsRd = { sub: randomUUID(), roles: ['product_team'], team: 'pumps-rd' };
// Two reps who share the leads of a region with a short follow-up deadline.
const slaTeam = 'sla';
const slaReps = [randomUUID(), randomUUID()];
// The system runs in Beijing time (CRM_TIMEZONE): "today" and "this quarter" are Beijing's.
const TIME_ZONE = 'Asia/Shanghai';
const beijing = new BusinessCalendar(TIME_ZONE);
const today = () => beijing.today();
const quarter = () => quarterLabel(beijing.today());
const hop = { timeoutMs: 30_000, intervalMs: 250 };

describe('the customer journey from web-form lead to paid order and feedback, across all eight services', () => {
  let system: TestSystem & { gateway: RunningGateway };
  let mailbox: TestMailbox;
  // The rep's live notification stream, open from the start, as the console's bell keeps it.
  let repStream: SseClient;
  let orderId: string;
  let orderTotal: string;
  /** The API as one user sees it: every call through the gateway with their bearer token. */
  const as = (claims: TokenClaims): CrmClient => createCrmClient({ baseUrl: system.gateway.url, token: system.token(claims) });

  beforeAll(async () => {
    mailbox = await startTestMailbox();
    system = await startSystem(['leads', 'opportunities', 'orders', 'inventory', 'finance', 'analytics', 'customers', 'notifications'], {
      readyTimeoutMs: 240_000,
      gateway: true,
      env: {
        SMTP_URL: mailbox.url,
        // A stage-limit hour lasts 5 s and the scan runs every half second: a 1-hour stage is overdue in 5 s (the
        // default pipeline's shortest limit, 168 h, in 14 minutes: past the journey).
        OPPORTUNITIES_STAGE_HOUR_MS: '5000',
        OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS: '500',
        NOTIFICATIONS_SCAN_INTERVAL_MS: '1000',
        CRM_TIMEZONE: TIME_ZONE,
        LEADS_WEBFORM_SECRET: WEBFORM_SECRET,
        // One SLA "hour" lasts a second and the scan runs every second: the journey's 72-hour rule leaves its rep
        // 72 s to answer, the 'sla' region's 2-hour rule 2 s.
        LEADS_SLA_HOUR_MS: '1000',
        LEADS_SLA_SCAN_INTERVAL_MS: '1000',
      },
    });
    const crm = as(admin);
    await expectStatus(
      crm.POST('/api/v1/reps', {
        body: { id: rep.sub, name: 'Chen Jing', email: 'chen.jing@crm.example', team, regions: ['west-coast'], productLines: ['pumps'], capacity: 10 },
      }),
      201,
    );
    for (const [i, id] of slaReps.entries()) {
      await expectStatus(crm.POST('/api/v1/reps', { body: { id, name: `SLA rep ${i}`, email: `sla-${i}@crm.example`, team: slaTeam, capacity: 10 } }), 201);
    }
    await expectStatus(
      crm.POST('/api/v1/assignment-rules', {
        body: {
          name: 'West pumps',
          position: 0,
          match: { regions: ['west-coast'], productLines: ['pumps'] },
          target: { kind: 'team', team },
          followUpHours: 72,
        },
      }),
      201,
    );
    await expectStatus(
      crm.POST('/api/v1/assignment-rules', {
        body: { name: 'SLA land', position: 1, match: { regions: ['sla-land'] }, target: { kind: 'team', team: slaTeam }, followUpHours: 2 },
      }),
      201,
    );

    // Who hears of what: the team's manager and the pumps R&D team are known to notifications; the rep reads English.
    await expectStatus(
      crm.PUT('/api/v1/recipients/{userId}', {
        params: { path: { userId: manager.sub } },
        body: { name: 'Wang Qiang', email: 'wang.qiang@crm.example', roles: ['sales_manager'], team, locale: 'zh-CN', active: true },
      }),
      201,
    );
    await expectStatus(
      crm.PUT('/api/v1/recipients/{userId}', {
        params: { path: { userId: pumpsRd.sub } },
        body: { name: 'Zhao Gang', email: 'zhao.gang@crm.example', roles: ['product_team'], team: pumpsRd.team, locale: 'zh-CN', active: true },
      }),
      201,
    );
    await expectStatus(crm.PUT('/api/v1/product-routes/{productLine}', { params: { path: { productLine: 'pumps' } }, body: { team: pumpsRd.team } }), 201);
    await setOwnSettings(as(rep), { locale: 'en', timeZone: TIME_ZONE, quietHours: null, digestAt: null });
    repStream = await openStream(system.gateway.url, '/api/v1/notifications/stream', { authorization: `Bearer ${system.token(rep)}` });

    await unwrap(
      crm.PUT('/api/v1/items/{sku}', {
        params: { path: { sku: 'PUMP-200' } },
        body: { name: 'Centrifugal pump 200 W', productLine: 'pumps', reorderPoint: 0 },
      }),
    );
    await expectStatus(crm.POST('/api/v1/stock/receipts', { body: { sku: 'PUMP-200', warehouseId: 'main', quantity: 50 } }), 201);
  });
  afterAll(async () => {
    repStream?.close();
    await system?.stop();
    await mailbox?.close();
  });

  it('web-form lead → assigned → followed up → qualified → converted → scored opportunity → stages → strategy → won → order → stock, receivable → shipped → delivered → paid → completed → feedback → analytics', async () => {
    const started = Date.now();
    // 1. The website posts the form, signed with the shared secret; no token.
    const form = {
      name: 'Li Wei',
      email: 'li.wei@acme.example',
      company: 'Acme Trading',
      companySize: 'large' as const,
      region: 'west-coast',
      productInterest: 'pumps',
      needs: '40 pumps for the new plant',
      campaign: 'Spring fair',
    };
    const website = createCrmClient({ baseUrl: system.gateway.url });
    // Signed with another secret, the same post is refused.
    await expectStatus(signedWebForm(website, 'another-secret-0123456789-0123456789', form), 401);
    const intake = await unwrap(expectStatus(signedWebForm(website, WEBFORM_SECRET, form), 201));
    expect(intake).toMatchObject({ merged: false });
    const leadId = intake.leadId;

    // 2. The rules give it to the west team's rep, with a first-follow-up deadline.
    const crm = as(rep);
    const lead = { params: { path: { id: leadId } } };
    const assigned = await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/leads/{id}', lead));
      expect(body).toMatchObject({ status: 'assigned', ownerRepId: rep.sub, source: 'web_form' });
      return body;
    }, hop);
    expect(assigned.firstFollowUpDueAt).toEqual(expect.any(String));

    // 3. The rep calls; 4. qualifies; 5. converts with the deal's size.
    const status = async () => (await unwrap(crm.GET('/api/v1/leads/{id}', lead))).status;
    await expectStatus(
      crm.POST('/api/v1/leads/{id}/follow-ups', {
        ...lead,
        body: {
          channel: 'call',
          content: 'Discovery call',
          customerFeedback: 'wants a quote',
          nextAction: 'send quote',
          nextActionDueAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      }),
      201,
    );
    expect(await status()).toBe('contacted');
    // The qualification acts on the version read, as a screen does (If-Match from its ETag).
    const contacted = await crm.GET('/api/v1/leads/{id}', lead);
    await expectStatus(
      crm.POST('/api/v1/leads/{id}/qualify', { params: { path: { id: leadId }, header: ifMatch(contacted) }, body: { note: 'budget approved' } }),
      200,
    );
    expect(await status()).toBe('qualified');
    const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await expectStatus(
      crm.POST('/api/v1/leads/{id}/convert', {
        ...lead,
        body: { expectedAmount: '7960.00', currency: 'USD', expectedCloseDate: closeDate, productNeeds: ['pump 200 W × 40'] },
      }),
      200,
    );
    expect(await status()).toBe('converted');
    // Customers resolves the converted lead to an account and a contact (created here, owned by the rep); leads learns them.
    const resolved = await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/leads/{id}', lead));
      expect(body).toMatchObject({ accountId: expect.any(String), contactId: expect.any(String) });
      return body as { accountId: string; contactId: string };
    }, hop);
    const account = { params: { path: { id: resolved.accountId } } };
    expect(await unwrap(crm.GET('/api/v1/accounts/{id}', account))).toMatchObject({ name: 'Acme Trading', ownerRepId: rep.sub });

    // 6. Opportunities opens one opportunity for the rep, scored with every factor's contribution.
    const opportunity = await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/opportunities'));
      expect(body.items).toHaveLength(1);
      return body.items[0];
    }, hop);
    const oppId = opportunity.id as string;
    const opp = { params: { path: { id: oppId } } };
    expect(opportunity).toMatchObject({
      leadId,
      repId: rep.sub,
      team,
      status: 'open',
      stage: 'needs_analysis',
      currency: 'USD',
      expectedAmount: '7960.00',
      companySize: 'large',
    });
    const scored = await unwrap(crm.GET('/api/v1/opportunities/{id}', opp));
    expect(scored.score).toBeGreaterThan(0);
    expect(scored.scoreFactors.map((f: { factor: string }) => f.factor)).toEqual(expect.arrayContaining(['companySize', 'urgency', 'engagement', 'amount']));
    const sum = scored.scoreFactors.reduce((s: number, f: { contribution: number }) => s + Math.round(f.contribution * 100), 0) / 100;
    expect(sum).toBeCloseTo(Number(scored.score), 2);
    // Leads learns which opportunity its lead became.
    await eventually(async () => expect((await unwrap(crm.GET('/api/v1/leads/{id}', lead))).opportunityId).toBe(oppId), hop);

    // 7. Stages with their exit criteria: needs analysis wants the needs report, the proposal wants lines.
    const unmet = await expectStatus(crm.POST('/api/v1/opportunities/{id}/stage', { ...opp, body: { toStage: 'proposal' } }), 409);
    expect(unmet.error).toMatchObject({
      code: 'EXIT_CRITERIA_UNMET',
      errors: [expect.objectContaining({ field: 'needsReport', constraint: 'exitCriteria:needs_analysis' })],
    });
    const lines = [{ sku: 'PUMP-200', productName: 'Centrifugal pump 200 W', quantity: 40, unitPrice: '199.00' }];
    await expectStatus(
      crm.PATCH('/api/v1/opportunities/{id}', { ...opp, body: { fields: { needsReport: 'https://docs.example/acme-needs.pdf' }, lines } }),
      200,
    );
    for (const toStage of ['proposal', 'negotiation', 'contract']) {
      const moved = await unwrap(crm.POST('/api/v1/opportunities/{id}/stage', { ...opp, body: { toStage } }));
      expect(moved.stage).toBe(toStage);
    }

    // 8. The strategy history: a first record and an adjustment naming it.
    const first = await unwrap(
      expectStatus(
        crm.POST('/api/v1/opportunities/{id}/strategies', { ...opp, body: { products: ['PUMP-200'], pricing: 'list price', rationale: 'first offer' } }),
        201,
      ),
    );
    await expectStatus(
      crm.POST('/api/v1/opportunities/{id}/strategies', {
        ...opp,
        body: {
          replacesId: first.id,
          products: ['PUMP-200'],
          pricing: 'volume tier B',
          discountPercent: 5,
          promotions: ['free installation'],
          rationale: 'buyer compares us on price',
        },
      }),
      201,
    );
    const strategies = await unwrap(crm.GET('/api/v1/opportunities/{id}/strategies', opp));
    expect((strategies.items ?? strategies).map((s: { rationale: string | null }) => s.rationale)).toEqual(
      expect.arrayContaining(['first offer', 'buyer compares us on price']),
    );

    // 9. Won: orders drafts the order from opportunity.won.
    const won = await unwrap(expectStatus(crm.POST('/api/v1/opportunities/{id}/win', { ...opp, body: { paymentTerms: 'NET30' } }), 200));
    expect(won).toMatchObject({ status: 'won', expectedAmount: '7960.00' });
    const draft = await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/orders'));
      expect(body.items).toHaveLength(1);
      return body.items[0];
    }, hop);
    orderId = draft.id;
    orderTotal = draft.total;
    expect(draft).toMatchObject({ opportunityId: oppId, status: 'draft', total: '7960.00', currency: 'USD', repId: rep.sub, team, paymentTerms: 'NET30' });
    const order = { params: { path: { id: orderId } } };
    const orderNow = () => unwrap(crm.GET('/api/v1/orders/{id}', order));

    // 10. The rep submits (the SKU is in the catalogue orders learned from inventory), a manager confirms.
    await eventually(() => expectStatus(crm.POST('/api/v1/orders/{id}/submit', order), 200), hop);
    await expectStatus(crm.POST('/api/v1/orders/{id}/confirm', order), 403);
    await expectStatus(as(manager).POST('/api/v1/orders/{id}/confirm', order), 200);

    // 11. Inventory deducts the stock, orders allocates it, finance opens the receivable.
    await eventually(async () => expect((await orderNow()).status).toBe('allocated'), hop);
    const level = await unwrap(crm.GET('/api/v1/stock', { params: { query: { sku: 'PUMP-200' } } }));
    expect(level.items).toEqual([expect.objectContaining({ sku: 'PUMP-200', warehouseId: 'main', onHand: 10 })]);
    const receivable = await eventually(() => unwrap(crm.GET('/api/v1/receivables/by-order/{orderId}', { params: { path: { orderId } } })), hop);
    expect(receivable).toMatchObject({ orderId, amount: '7960.00', currency: 'USD', status: 'open' });
    // The account's summary owes the whole receivable, to the cent.
    await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/accounts/{id}/summary', account));
      expect(body).toMatchObject({
        lifetimeRevenue: [{ currency: 'USD', amount: '7960.00' }],
        outstandingReceivables: [{ currency: 'USD', amount: '7960.00' }],
      });
    }, hop);

    // 12. Production, shipment, delivery.
    const track = (body: { kind: 'production' | 'shipment' | 'delivered'; percent?: number; note?: string; carrier?: string; trackingNumber?: string }) =>
      expectStatus(crm.POST('/api/v1/orders/{id}/tracking', { ...order, body }), 200);
    await track({ kind: 'production', percent: 100, note: 'built' });
    await track({ kind: 'shipment', carrier: 'SF Express', trackingNumber: 'SF123456' });
    expect((await orderNow()).status).toBe('shipped');
    await track({ kind: 'delivered' });
    expect((await orderNow()).status).toBe('delivered');

    // 13. Paid in full (finance records it), so orders completes the delivered order by itself.
    const receivableId = { params: { path: { id: receivable.id } } };
    await expectStatus(
      as(manager).POST('/api/v1/receivables/{id}/payments', {
        ...receivableId,
        body: { amount: '7960.00', currency: 'USD', method: 'bank_transfer', reference: 'TT-0001' },
      }),
      201,
    );
    expect(await unwrap(crm.GET('/api/v1/receivables/{id}', receivableId))).toMatchObject({ status: 'paid' });
    const completed = await eventually(async () => {
      const body = await orderNow();
      expect(body.status).toBe('completed');
      return body;
    }, hop);
    expect(completed.history?.map((h: { toStatus: string }) => h.toStatus)).toEqual([
      'draft',
      'submitted',
      'confirmed',
      'allocated',
      'in_production',
      'shipped',
      'delivered',
      'completed',
    ]);

    // 14. After-sales feedback, once: a complaint, which the notifications service routes to the pumps R&D team.
    await expectStatus(
      crm.POST('/api/v1/orders/{id}/feedback', { ...order, body: { rating: 2, category: 'quality', comment: 'the seal leaks', complaint: true } }),
      201,
    );
    expect(await unwrap(crm.GET('/api/v1/orders/{id}/feedback', order))).toMatchObject({
      orderId,
      request: { status: 'answered', openedAt: expect.any(String) },
      feedback: { rating: 2, category: 'quality', comment: 'the seal leaks', complaint: true },
    });
    await expectStatus(crm.POST('/api/v1/orders/{id}/feedback', { ...order, body: { rating: 1, category: 'quality' } }), 409);
    // The order names the account and contact the lead was resolved to.
    expect(await orderNow()).toMatchObject({ accountId: resolved.accountId, contactId: resolved.contactId });

    // 15. The account's timeline holds every step, oldest to newest, with the follow-up's content; its summary the money.
    await eventually(async () => {
      const trail = await customerTrail(crm, resolved.accountId);
      expect(trail.map((e) => e.kind)).toEqual(JOURNEY_TRAIL);
      expect(trail.find((e) => e.kind === 'lead.followed_up')?.detail).toMatchObject({
        channel: 'call',
        content: 'Discovery call',
        customerFeedback: 'wants a quote',
      });
    }, hop);
    await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/accounts/{id}/summary', account));
      expect(body).toMatchObject({
        openPipeline: [],
        lifetimeRevenue: [{ currency: 'USD', amount: '7960.00' }],
        outstandingReceivables: [],
        lastContact: { channel: 'call', repId: rep.sub, leadId },
        satisfaction: { average: '2.00', count: 1 },
        owner: { repId: rep.sub, team },
      });
    }, hop);

    // 16. Analytics, from the events alone: revenue, cycle time, the funnel step by step, the rep's KPIs.
    const range = { from: today(), to: today() };
    await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/analytics/sales', { params: { query: { groupBy: 'rep', ...range, currency: 'USD' } } }));
      const point = (measure: string) => body.series.find((s) => s.measure === measure)?.points.find((p) => p.x === rep.sub)?.y;
      expect(point('confirmed')).toBe(orderTotal);
      expect(point('net')).toBe(orderTotal);
      expect(point('paid')).toBe(orderTotal);
    }, hop);
    await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/analytics/funnel', { params: { query: { ...range, groupBy: 'source' } } }));
      // The rep sees their own leads: the web-form lead, at every step from capture to paid.
      expect(body.series.map((s) => s.label)).toEqual(['web_form']);
      expect(body.series[0]?.points.map((p) => [p.x, p.y, p.rate])).toEqual([
        ['lead', 1, null],
        ['qualified', 1, '1.0000'],
        ['opportunity', 1, '1.0000'],
        ['won', 1, '1.0000'],
        ['paid', 1, '1.0000'],
      ]);
    }, hop);
    await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/analytics/cycle-time', { params: { query: range } }));
      const row = (metric: string) => body.rows.find((r) => r.metric === metric);
      // Everything happened within this test: each cycle is one deal, between 0 and the time the test has run.
      for (const metric of ['lead_captured_to_won', 'won_to_paid', 'lead_response']) {
        expect(row(metric)).toMatchObject({ count: 1, medianHours: expect.any(Number) });
        expect(row(metric)?.medianHours).toBeLessThanOrEqual((Date.now() - started) / 3_600_000 + 0.01);
      }
    }, hop);
    await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/analytics/kpis', { params: { query: { period: quarter(), currency: 'USD', by: 'rep' } } }));
      expect(body.rows).toEqual([
        expect.objectContaining({
          key: rep.sub,
          revenue: orderTotal,
          paid: orderTotal,
          won: 1,
          lost: 0,
          winRate: '1.0000',
          averageDealSize: orderTotal,
          satisfaction: 2,
          complaints: 1,
        }),
      ]);
    }, hop);
  });

  it("an edit of an open opportunity's amount and close date moves it in analytics' forecast", async () => {
    // A rep of their own, in EUR: their forecast holds this opportunity only.
    const seller = { sub: randomUUID(), roles: ['sales_rep'], team: 'forecast' };
    const monthAhead = (n: number) => {
      const now = new Date();
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 15)).toISOString().slice(0, 10);
    };
    const monthOf = (date: string) => `${date.slice(0, 7)}-01`;
    const [next, later] = [monthAhead(1), monthAhead(2)];
    const crm = as(seller);
    const created = await expectStatus(
      crm.POST('/api/v1/opportunities', {
        body: { customer: { name: 'Wang Fang', company: 'Harbour Foods' }, currency: 'EUR', expectedAmount: '5000.00', expectedCloseDate: next },
      }),
      201,
    );
    /** The weighted pipeline forecast per close month, without the empty months. */
    const weighted = async () => {
      const body = await unwrap(crm.GET('/api/v1/analytics/forecast', { params: { query: { horizon: 4, currency: 'EUR' } } }));
      const points = body.series.find((s) => s.measure === 'pipeline_weighted')?.points ?? [];
      return Object.fromEntries(points.filter((p) => Number(p.y) !== 0).map((p) => [p.x, p.y]));
    };
    // The first stage's win probability is 0.1.
    await eventually(async () => expect(await weighted()).toEqual({ [monthOf(next)]: '500.00' }), hop);

    // The edit acts on the version created, as a screen does (If-Match from its ETag).
    await expectStatus(
      crm.PATCH('/api/v1/opportunities/{id}', {
        params: { path: { id: (await unwrap(created)).id }, header: ifMatch(created) },
        body: { expectedAmount: '8000.00', expectedCloseDate: later },
      }),
      200,
    );
    await eventually(async () => expect(await weighted()).toEqual({ [monthOf(later)]: '800.00' }), hop);
    const pipeline = await unwrap(crm.GET('/api/v1/analytics/pipeline', { params: { query: { currency: 'EUR' } } }));
    expect(pipeline.series.find((s) => s.measure === 'amount')?.points).toEqual([{ x: 'needs_analysis', y: '8000.00' }]);
  });

  it('an order for more stock than there is goes on hold and alerts its rep', async () => {
    const crm = as(rep);
    const created = await unwrap(
      expectStatus(
        crm.POST('/api/v1/orders', {
          body: {
            customer: { name: 'Zhao Min', company: 'Delta Mills' },
            currency: 'USD',
            paymentTerms: 'NET30',
            lines: [{ sku: 'PUMP-200', productName: 'Centrifugal pump 200 W', quantity: 500, unitPrice: '199.00' }],
          },
        }),
        201,
      ),
    );
    const id = created.id as string;
    const order = { params: { path: { id } } };
    await expectStatus(crm.POST('/api/v1/orders/{id}/submit', order), 200);
    await expectStatus(as(manager).POST('/api/v1/orders/{id}/confirm', order), 200);
    await eventually(async () => expect((await unwrap(crm.GET('/api/v1/orders/{id}', order))).status).toBe('on_hold'), hop);
    const alerts = await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/alerts', { params: { query: { orderId: id } } }));
      expect(body.items).toHaveLength(1);
      return body.items;
    }, hop);
    expect(alerts[0]).toMatchObject({
      orderId: id,
      repId: rep.sub,
      kind: 'stock_shortage',
      details: { shortages: [{ sku: 'PUMP-200', requested: 500, available: 10 }] },
    });
    // Nothing was deducted for it: the journey's order left 10, and 10 are still there.
    expect((await unwrap(crm.GET('/api/v1/stock', { params: { query: { sku: 'PUMP-200' } } }))).items[0]?.onHand).toBe(10);
  });

  it('reminders and alerts reach the people who must act: live on the rep’s stream, by email in their language, to the product team, and up to the manager once', async () => {
    const notified = (events: SseClient['events'], type: string, recordId: string) =>
      events
        .filter((e) => e.event === 'notification')
        .map((e) => ({ ...JSON.parse(e.data), arrivedAt: e.arrivedAt }))
        .filter((n) => n.type === type && n.recordId === recordId);
    // The journey's complaint (step 14) reached the rep live and the pumps R&D team, whose product line the order's item is.
    await repStream.until((events) => notified(events, 'customer_complaint', orderId).length === 1, 30_000);
    const rd = as(pumpsRd);
    const complaint = await eventually(async () => {
      const body = await unwrap(rd.GET('/api/v1/notifications', { params: { query: { type: 'customer_complaint' } } }));
      expect(body.items.map((n) => n.recordId)).toEqual([orderId]);
      return body.items[0];
    }, hop);
    expect(complaint?.title).toContain('客户投诉');

    // An unacknowledged stage reminder escalates after a minute (the shortest window an admin can set).
    const crm = as(admin);
    const stageType = (await unwrap(crm.GET('/api/v1/notification-types'))).items.find((t: { type: string }) => t.type === 'stage_overdue');
    await expectStatus(
      crm.PATCH('/api/v1/notification-types/{type}', {
        params: { path: { type: 'stage_overdue' }, header: ifMatch(`"${stageType!.version}"`) },
        body: { escalateAfterMinutes: 1 },
      }),
      200,
    );

    // A pipeline whose first stage allows one (5-second) hour; the rep's opportunity overruns it.
    const pipeline = await unwrap(
      expectStatus(
        crm.POST('/api/v1/pipelines', {
          body: {
            name: 'Fast lane',
            stages: [
              { key: 'discovery', name: 'Discovery', winProbability: 0.2, timeLimitHours: 1 },
              { key: 'won', name: 'Won', winProbability: 1, outcome: 'won' },
              { key: 'lost', name: 'Lost', winProbability: 0, outcome: 'lost' },
            ],
          },
        }),
        201,
      ),
    );
    const opp = await unwrap(
      expectStatus(
        as(rep).POST('/api/v1/opportunities', {
          body: {
            customer: { name: 'Qian Bo', company: 'Fast Co' },
            currency: 'USD',
            expectedAmount: '1000.00',
            expectedCloseDate: '2027-06-30',
            pipelineId: pipeline.id,
          },
        }),
        201,
      ),
    );
    const oppId = opp.id as string;

    // On the rep's open stream within 2 s of the event (createdAt is the event's time), in English.
    await repStream.until((events) => notified(events, 'stage_overdue', oppId).length > 0, 30_000);
    const [reminder] = notified(repStream.events, 'stage_overdue', oppId);
    expect(reminder.title).toBe('Opportunity stuck in discovery: Fast Co · Qian Bo');
    const latency = reminder.arrivedAt - Date.parse(reminder.createdAt);
    console.log(`journey: the stage reminder reached the rep's open stream ${latency} ms after its event`);
    expect(latency).toBeLessThanOrEqual(2_000);
    // By email, in English, to the rep's address from the leads service.
    const mail = await eventually(async () => {
      const found = (await mailbox.messages()).find(
        (m) => m.to.some((to) => to.includes('chen.jing@crm.example')) && m.subject.startsWith('Opportunity stuck in discovery'),
      );
      expect(found).toBeDefined();
      return found!;
    }, hop);
    expect(mail.headers['content-language']).toBe('en');

    // Nobody reads it: after the minute, the manager is told once, in Chinese.
    const managers = as(manager);
    const escalations = async () =>
      (await unwrap(managers.GET('/api/v1/notifications', { params: { query: { type: 'escalated' } } }))).items.filter((n) => n.recordId === oppId);
    await eventually(async () => expect(await escalations()).toHaveLength(1), { timeoutMs: 120_000, intervalMs: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // three more scans
    const [escalated] = await escalations();
    expect(await escalations()).toHaveLength(1);
    expect(escalated?.title).toBe('提醒未处理，已升级：商机在「discovery」阶段停留过久：Fast Co · Qian Bo');
    await eventually(async () => {
      const mails = (await mailbox.messages()).filter((m) => m.to.some((to) => to.includes('wang.qiang@crm.example')) && m.subject.includes('Fast Co'));
      expect(mails).toHaveLength(1);
      expect(mails[0].headers['content-language']).toBe('zh-CN');
    }, hop);
  });

  it('a lead nobody follows up is re-assigned to another rep when its deadline passes', async () => {
    const captured = await unwrap(
      expectStatus(
        as({ sub: 'website-bot', roles: ['integration'] }).POST('/api/v1/leads', {
          body: { name: 'Sun Li', email: 'sun.li@late.example', source: 'phone', region: 'sla-land' },
        }),
        201,
      ),
    );
    const lead = { params: { path: { id: captured.leadId } } };
    const crm = as({ sub: randomUUID(), roles: ['sales_manager'], team: slaTeam });
    const first = await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/leads/{id}', lead));
      expect(body.status).toBe('assigned');
      return body.ownerRepId as string;
    }, hop);
    expect(slaReps).toContain(first);
    type Assignment = { kind: string; repId: string; previousRepId: string | null; at: string; deadline: string; breachedDeadline: string | null };
    const history = await eventually(async () => {
      const body = await unwrap(crm.GET('/api/v1/leads/{id}', lead));
      expect((body.assignments as Assignment[]).some((a) => a.kind === 'sla_breach')).toBe(true);
      return body.assignments as Assignment[];
    }, hop);
    const initial = history.find((a) => a.kind === 'initial')!;
    const breach = history.find((a) => a.kind === 'sla_breach')!;
    // The rule's 2 hours, compressed to 2 s; the re-assignment names the deadline that was missed.
    expect(Date.parse(initial.deadline) - Date.parse(initial.at)).toBe(2_000);
    expect(Date.parse(breach.breachedDeadline!)).toBe(Date.parse(initial.deadline));
    expect(breach).toMatchObject({ previousRepId: first, repId: slaReps.find((r) => r !== first) });
  });

  it('day, month and quarter totals follow Beijing time: a lead of 07:30 on April 1 in Beijing counts on April 1, not on March 31', async () => {
    // 23:59:59 on March 31 in Beijing; midnight of April 1 (a new month and quarter); 07:30 on April 1. In UTC all three are March 31.
    await publishPastLeads(system.prefix, ['2026-03-31T15:59:59.000Z', '2026-03-31T16:00:00.000Z', '2026-03-31T23:30:00.000Z']);
    const crm = as(admin);
    const counts = async (groupBy: 'day' | 'month' | 'quarter', from: string, to: string) => {
      const body = await unwrap(crm.GET('/api/v1/analytics/sales', { params: { query: { groupBy, from, to } } }));
      const series = (measure: string) => body.series.find((s) => s.measure === measure)?.points.map((p) => [p.x, p.y]);
      return { leads: series('leads'), qualified: series('qualified') };
    };
    await eventually(async () => {
      const days = [
        ['2026-03-31', 1],
        ['2026-04-01', 2],
      ];
      expect(await counts('day', '2026-03-31', '2026-04-01')).toEqual({ leads: days, qualified: days });
    }, hop);
    const months = [
      ['2026-03-01', 1],
      ['2026-04-01', 2],
    ];
    expect(await counts('month', '2026-03-01', '2026-04-30')).toEqual({ leads: months, qualified: months });
    const quarters = [
      ['2026-01-01', 1],
      ['2026-04-01', 2],
    ];
    expect(await counts('quarter', '2026-01-01', '2026-06-30')).toEqual({ leads: quarters, qualified: quarters });
  });
});
