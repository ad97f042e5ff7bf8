import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { createEvent, Topics } from '@crm/contracts';
import { testKafka } from '@crm/testing';

/**
 * Posts to the public web-form intake as the website does: `X-Signature: sha256=<hex>` = HMAC-SHA256 with the
 * shared secret over `${X-Signature-Timestamp}.${raw body}` (apps/leads/README.md). Signed here from the wire
 * format, not with the service's own helper, so a change to the scheme fails the test.
 */
export function signedWebForm(baseUrl: string, secret: string, form: object, now = new Date()): request.Test {
  const body = JSON.stringify(form);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return request(baseUrl)
    .post('/api/v1/intake/web-form')
    .set('content-type', 'application/json')
    .set('x-signature-timestamp', timestamp)
    .set('x-signature', signature)
    .send(body);
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

/**
 * The account's timeline oldest first, every page, limited to the journey's kinds (account and contact entries,
 * term edits and the move to the won stage, which shares the win's moment, left out). Steps of one moment (a lead
 * captured and assigned in one transaction) share a time, and the timeline orders those by id: they are put in
 * the journey's order here, every other step keeps the timeline's.
 */
export async function customerTrail(
  customers: { get(url: string): request.Test },
  accountId: string,
): Promise<{ kind: string; at: string; detail: Record<string, unknown> }[]> {
  const entries: { kind: string; at: string; detail: Record<string, unknown> }[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const { body } = await customers.get(`/api/v1/accounts/${accountId}/timeline?limit=10${query}`).expect(200);
    entries.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  const trail = entries.reverse().filter((e) => JOURNEY_TRAIL.includes(e.kind) && !(e.kind === 'opportunity.stage_changed' && e.detail.toStage === 'won'));
  // Already oldest first: only entries of one moment change places.
  return trail.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : JOURNEY_TRAIL.indexOf(a.kind) - JOURNEY_TRAIL.indexOf(b.kind)));
}

type Client = { get(url: string): request.Test; put(url: string): request.Test };

/**
 * Sets the caller's own notification settings: read, then write with the ETag when there is a row. The row can
 * appear in between (the rep's copy arriving from leads), so a refused write reads again.
 */
export async function setOwnSettings(client: Client, settings: object): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await client.get('/api/v1/notification-settings').expect(200);
    const put = client.put('/api/v1/notification-settings').send(settings);
    const res = await (current.headers.etag ? put.set('if-match', current.headers.etag) : put);
    if (res.status === 200 || res.status === 201) return;
    if (attempt === 3) throw new Error(`notification settings: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
