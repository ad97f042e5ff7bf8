import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf } from '@crm/contracts';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { financeSettings } from '../finance.settings';
import { ADMIN, consumed, openReceivable, outboxed } from '../testing/finance-fixtures';

const merged = (kind: 'account' | 'contact', mergeId: string, survivorId: string, mergedId: string) =>
  createEvent(`${kind}.merged`, {
    subject: survivorId,
    data: { mergeId, survivorId, mergedId, by: 'manager-1', at: new Date().toISOString() },
  }) as EventOf<'account.merged'>;
const undone = (kind: 'account' | 'contact', mergeId: string, survivorId: string, restoredId: string) =>
  createEvent(`${kind}.merge_undone`, {
    subject: survivorId,
    data: { mergeId, survivorId, restoredId, by: 'manager-1', at: new Date().toISOString() },
  }) as EventOf<'account.merge_undone'>;

describe('receivables keep their account and contact, and follow merges (real Kafka and PostgreSQL)', () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), { settings: financeSettings });
  });
  afterAll(() => svc?.close());

  const view = async (orderId: string) => (await svc.as(ADMIN).get(`/api/v1/receivables/by-order/${orderId}`).expect(200)).body;
  const totals = async (ids: string[]) =>
    svc.dataSource.query('SELECT sum(amount)::text AS amount, sum(paid)::text AS paid, max(version) AS version FROM receivables WHERE id = ANY($1::uuid[])', [
      ids,
    ]);

  it('takes the ids from order.confirmed, shows them, names the account in receivable.created, and filters by account', async () => {
    const [accountId, contactId] = [randomUUID(), randomUUID()];
    const { event, receivable } = await openReceivable(svc, { accountId, contactId });
    const { receivable: without } = await openReceivable(svc);

    expect(await view(event.data.orderId)).toMatchObject({ id: receivable.id, accountId, contactId });
    expect((await svc.as(ADMIN).get(`/api/v1/receivables/${without.id}`).expect(200)).body).toMatchObject({ accountId: null, contactId: null });
    const [created] = await outboxed(svc, 'receivable.created', receivable.id);
    expect(created.data).toMatchObject({ accountId });
    const list = await svc.as(ADMIN).get(`/api/v1/receivables?accountId=${accountId}`).expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([receivable.id]);
  });

  it('an account merge re-points the merged account, an undo restores it, redeliveries change nothing more', async () => {
    const [survivor, loser, bystander] = [randomUUID(), randomUUID(), randomUUID()];
    const ofLoser = [await openReceivable(svc, { accountId: loser }), await openReceivable(svc, { accountId: loser })];
    const ofSurvivor = await openReceivable(svc, { accountId: survivor });
    const other = await openReceivable(svc, { accountId: bystander });
    const ids = [...ofLoser, ofSurvivor, other].map((r) => r.receivable.id);
    const before = await totals(ids);

    const mergeId = randomUUID();
    const merge = merged('account', mergeId, survivor, loser);
    await svc.publish(merge);
    await consumed(svc, merge.id);
    for (const r of [...ofLoser, ofSurvivor]) expect((await view(r.event.data.orderId)).accountId).toBe(survivor);
    expect((await view(other.event.data.orderId)).accountId).toBe(bystander);
    expect(await totals(ids)).toEqual(before); // amounts, payments and versions untouched

    // The same merge redelivered under a new event id (a replay), after a new receivable of the loser arrived late.
    const late = await openReceivable(svc, { accountId: loser });
    const again = { ...merged('account', mergeId, survivor, loser) };
    await svc.publish(again);
    await consumed(svc, again.id);
    expect((await view(late.event.data.orderId)).accountId).toBe(loser);

    const undo = undone('account', mergeId, survivor, loser);
    const newOfSurvivor = await openReceivable(svc, { accountId: survivor });
    await svc.publish(undo);
    await consumed(svc, undo.id);
    for (const r of ofLoser) expect((await view(r.event.data.orderId)).accountId).toBe(loser);
    expect((await view(ofSurvivor.event.data.orderId)).accountId).toBe(survivor);
    expect((await view(newOfSurvivor.event.data.orderId)).accountId).toBe(survivor);

    const redelivered = merged('account', mergeId, survivor, loser);
    await svc.publish(redelivered);
    await consumed(svc, redelivered.id);
    for (const r of ofLoser) expect((await view(r.event.data.orderId)).accountId).toBe(loser);
    expect(await totals(ids)).toEqual(before);
  });

  it('a contact merge moves contacts only; an undo before its merge makes the merge a no-op', async () => {
    const [account, survivor, loser] = [randomUUID(), randomUUID(), randomUUID()];
    const r = await openReceivable(svc, { accountId: account, contactId: loser });
    const mergeId = randomUUID();
    const merge = merged('contact', mergeId, survivor, loser);
    await svc.publish(merge);
    await consumed(svc, merge.id);
    expect(await view(r.event.data.orderId)).toMatchObject({ accountId: account, contactId: survivor });
    const undo = undone('contact', mergeId, survivor, loser);
    await svc.publish(undo);
    await consumed(svc, undo.id);
    expect(await view(r.event.data.orderId)).toMatchObject({ accountId: account, contactId: loser });

    // Out of order: the undo first, then its merge.
    const [survivor2, loser2, mergeId2] = [randomUUID(), randomUUID(), randomUUID()];
    const r2 = await openReceivable(svc, { contactId: loser2 });
    const early = undone('contact', mergeId2, survivor2, loser2);
    const lateMerge = merged('contact', mergeId2, survivor2, loser2);
    await svc.publish(early, lateMerge);
    await consumed(svc, lateMerge.id);
    expect((await view(r2.event.data.orderId)).contactId).toBe(loser2);
  });
});
