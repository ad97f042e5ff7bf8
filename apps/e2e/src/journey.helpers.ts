import { createHmac, randomUUID } from 'node:crypto';
import { etagOf, listAll, unwrap, type ApiResult, type components, type CrmClient } from '@crm/api-client';
import { createEvent, Topics } from '@crm/contracts';
import { testKafka } from '@crm/testing';

/** The answer of a call, after checking its status: a create's 201 apart from a merge's 200, a refusal's 403 or 409. */
export async function expectStatus<R extends ApiResult>(call: Promise<R>, status: number): Promise<R> {
  const result = await call;
  if (result.response.status !== status)
    throw new Error(`expected ${status}, got ${result.response.status}: ${JSON.stringify(result.response.ok ? result.data : result.error)}`);
  return result;
}

/**
 * Posts to the public web-form intake as the website does, with no token: `X-Signature: sha256=<hex>` =
 * HMAC-SHA256 with the shared secret over `${X-Signature-Timestamp}.${raw body}` (apps/leads/README.md). Signed here
 * from the wire format, not with the service's own helper, so a change to the scheme fails the test; the body goes
 * byte for byte as signed.
 */
export function signedWebForm(crm: CrmClient, secret: string, form: components['schemas']['WebFormLeadDto'], now = new Date()) {
  const body = JSON.stringify(form);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return crm.POST('/api/v1/intake/web-form', {
    params: { header: { 'X-Signature-Timestamp': timestamp, 'X-Signature': signature } },
    body: form,
    bodySerializer: () => body,
  });
}

/**
 * Publishes leads captured and qualified at given past instants straight onto the system's leads topic, as
 * the leads service's relay would: the API stamps every lead with the present, and a day boundary needs
 * events on both sides of a chosen midnight. Only analytics (and opportunities, which keeps lead facts)
 * reads these events.
 */
export async function publishPastLeads(topicPrefix: string, capturedAt: readonly string[]): Promise<void> {
  const producer = (await testKafka('journey-past-leads')).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const messages = capturedAt.flatMap((at, i) => {
      const leadId = randomUUID();
      return [
        createEvent('lead.captured', {
          subject: leadId,
          data: { leadId, source: 'phone', contact: { name: `Past lead ${i}` }, region: 'beijing', capturedAt: at },
        }),
        createEvent('lead.qualified', { subject: leadId, data: { leadId, by: 'journey', qualifiedAt: at } }),
      ].map((e) => ({ key: e.subject, value: JSON.stringify(e) }));
    });
    await producer.send({ topic: `${topicPrefix}${Topics.leads}`, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** The steps of the journey on the customer's timeline, oldest first (each entry stamped with its business time). */
export const JOURNEY_TRAIL = [
  'lead.captured',
  'lead.assigned',
  'lead.followed_up',
  'lead.qualified',
  'lead.converted',
  'opportunity.created',
  'opportunity.stage_changed',
  'opportunity.stage_changed',
  'opportunity.stage_changed',
  'opportunity.strategy_recorded',
  'opportunity.strategy_recorded',
  'opportunity.won',
  'order.drafted',
  'order.submitted',
  'order.confirmed',
  'receivable.created',
  'order.shipped',
  'order.delivered',
  'payment.received',
  'order.completed',
  'order.feedback_received',
];

type TimelineEntry = { kind: string; at: string; detail: Record<string, unknown> };

/**
 * The account's timeline oldest first, every page (of ten, so the cursor is followed), limited to the journey's
 * kinds (account and contact entries, term edits and the move to the won stage, which shares the win's moment, left
 * out). Steps of one moment (a lead captured and assigned in one transaction) share a time, and the timeline orders
 * those by id: they are put in the journey's order here, every other step keeps the timeline's.
 */
export async function customerTrail(crm: CrmClient, accountId: string): Promise<TimelineEntry[]> {
  const entries = await listAll<TimelineEntry>((cursor) =>
    crm.GET('/api/v1/accounts/{id}/timeline', { params: { path: { id: accountId }, query: { limit: 10, cursor } } }),
  );
  const trail = entries.reverse().filter((e) => JOURNEY_TRAIL.includes(e.kind) && !(e.kind === 'opportunity.stage_changed' && e.detail.toStage === 'won'));
  // Already oldest first: only entries of one moment change places.
  return trail.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : JOURNEY_TRAIL.indexOf(a.kind) - JOURNEY_TRAIL.indexOf(b.kind)));
}

/**
 * Sets the caller's own notification settings: read, then write with the ETag when there is a row. The row can
 * appear in between (the rep's copy arriving from leads), so a refused write reads again.
 */
export async function setOwnSettings(crm: CrmClient, settings: components['schemas']['PutNotificationSettingsDto']): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await crm.GET('/api/v1/notification-settings');
    await unwrap(current);
    // No ETag yet (no row: the defaults): the first write goes without If-Match.
    const res = await crm.PUT('/api/v1/notification-settings', { params: { header: { 'If-Match': etagOf(current) } }, body: settings });
    if (res.response.status === 200 || res.response.status === 201) return;
    if (attempt === 3) throw new Error(`notification settings: ${res.response.status} ${JSON.stringify(res.error)}`);
  }
}
