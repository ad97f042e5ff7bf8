import { DomainError } from '@crm/domain';
import { orderConfirmed, singleLine } from '../testing/finance-fixtures';
import { decideOpen, decidePayment, decideVoid, paymentReceivedAt, type PaymentCommand, type Receivable } from './receivable-commands.domain';

const now = new Date('2026-03-20T10:00:00.000Z');
const ID = '0b8f5b8e-0000-4000-8000-000000000001';
const ORDER = '0b8f5b8e-0000-4000-8000-0000000000a1';
const receivable = (over: Partial<Receivable> = {}): Receivable => ({
  id: ID,
  orderId: ORDER,
  repId: '0b8f5b8e-0000-4000-8000-0000000000b1',
  team: 'north',
  customerName: 'ACME GmbH',
  accountId: null,
  contactId: null,
  amount: '100.0000',
  paid: '0.0000',
  currency: 'EUR',
  paymentTerms: 'NET30',
  dueDate: '2026-04-09',
  status: 'open',
  version: 1,
  createdAt: now,
  updatedAt: now,
  ...over,
});

describe('decideOpen', () => {
  it('opens a receivable for the order total, due by its terms, and publishes receivable.created', () => {
    const order = orderConfirmed({ orderId: ORDER, team: undefined }).data;
    const { changes, events } = decideOpen({ version: 0, receivable: null }, { order, id: ID, now });
    expect(changes.receivable).toMatchObject({
      id: ID,
      orderId: ORDER,
      team: null,
      customerName: 'ACME GmbH',
      amount: '255.17',
      paid: '0',
      currency: 'EUR',
      dueDate: '2026-04-09',
      status: 'open',
      version: 1,
      accountId: null,
      contactId: null,
    });
    expect(events).toEqual([expect.objectContaining({ type: 'crm.receivable.created', subject: ID })]);
    expect(events[0].data).toEqual({
      receivableId: ID,
      orderId: ORDER,
      amount: '255.17',
      currency: 'EUR',
      paymentTerms: 'NET30',
      dueDate: '2026-04-09',
      createdAt: now.toISOString(),
    });
  });

  it("keeps the order's account and contact, and names the account in receivable.created", () => {
    const [accountId, contactId] = ['0b8f5b8e-0000-4000-8000-0000000000d1', '0b8f5b8e-0000-4000-8000-0000000000d2'];
    const order = orderConfirmed({ orderId: ORDER, accountId, contactId }).data;
    const { changes, events } = decideOpen({ version: 0, receivable: null }, { order, id: ID, now });
    expect(changes.receivable).toMatchObject({ accountId, contactId });
    expect(events[0].data).toMatchObject({ receivableId: ID, accountId });
  });

  it('changes nothing for an order that has its receivable already', () => {
    const order = orderConfirmed({ orderId: ORDER }).data;
    expect(decideOpen({ version: 1, receivable: receivable() }, { order, id: ID, now })).toEqual({ changes: { receivable: null }, events: [] });
  });

  it('refuses for good an order whose money does not add up, naming why', () => {
    const order = orderConfirmed({ orderId: ORDER, lines: singleLine('10.00'), total: '10.01' }).data;
    const refuse = () => decideOpen({ version: 0, receivable: null }, { order, id: ID, now });
    expect(refuse).toThrow(DomainError);
    expect(refuse).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        code: 'ORDER_NOT_INVOICEABLE',
        detail: expect.stringMatching(/order total 10.01 is not the sum of its line totals 10.00/),
      }),
    );
  });
});

describe('decideVoid', () => {
  const cmd = { orderId: ORDER, reason: 'duplicate order', now, creditNoteId: '0b8f5b8e-0000-4000-8000-0000000000c1' };

  it('voids a partly paid receivable with a credit note for what was paid, and publishes receivable.voided', () => {
    const { changes, events } = decideVoid({ version: 2, receivable: receivable({ paid: '20.5000', status: 'partially_paid' }) }, cmd);
    expect(changes.voiding).toEqual({
      receivableId: ID,
      at: now,
      creditNote: { id: cmd.creditNoteId, amount: '20.50', reason: 'duplicate order' },
      voided: { receivableId: ID, orderId: ORDER, creditedAmount: '20.50', reason: 'duplicate order', voidedAt: now.toISOString() },
    });
    expect(events.map((e) => e.type)).toEqual(['crm.receivable.voided']);
  });

  it('voids an unpaid one without a credit note', () => {
    expect(decideVoid({ version: 1, receivable: receivable() }, cmd).changes.voiding).toMatchObject({ creditNote: null, voided: { creditedAmount: '0.00' } });
  });

  it('does nothing without a receivable (cancelled before confirmed) or for one voided already', () => {
    expect(decideVoid({ version: 0, receivable: null }, cmd)).toEqual({ changes: { voiding: null }, events: [] });
    expect(decideVoid({ version: 3, receivable: receivable({ status: 'voided' }) }, cmd)).toEqual({ changes: { voiding: null }, events: [] });
  });
});

describe('paymentReceivedAt', () => {
  it('takes the given time or now, and refuses one beyond the clock skew', () => {
    expect(paymentReceivedAt('2026-03-19T08:00:00Z', now)).toEqual(new Date('2026-03-19T08:00:00Z'));
    expect(paymentReceivedAt(undefined, now)).toBe(now);
    expect(paymentReceivedAt('2026-03-20T10:04:59Z', now)).toEqual(new Date('2026-03-20T10:04:59Z'));
    expect(() => paymentReceivedAt('2026-03-20T10:05:01Z', now)).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        detail: 'The request has 1 invalid field.',
        fields: [expect.objectContaining({ field: 'receivedAt', constraint: 'notInFuture' })],
      }),
    );
  });
});

describe('decidePayment', () => {
  const cmd: PaymentCommand = {
    paymentId: '0b8f5b8e-0000-4000-8000-0000000000d1',
    amount: '30.5',
    currency: 'EUR',
    method: 'bank_transfer',
    reference: 'BANK-1',
    receivedAt: now,
    by: 'erp-bridge',
    now,
  };
  const target = (over: Partial<Receivable> = {}, referenceTaken = false) => ({ version: 1, receivable: receivable(over), referenceTaken });

  it('records a partial payment, bumps the version and publishes payment.received with what is outstanding', () => {
    const { changes, events } = decidePayment(target(), cmd);
    expect(changes.payment).toEqual({
      id: cmd.paymentId,
      receivableId: ID,
      amount: '30.50',
      currency: 'EUR',
      method: 'bank_transfer',
      reference: 'BANK-1',
      receivedAt: now,
      createdBy: 'erp-bridge',
      createdAt: now,
    });
    expect(changes.receivable).toEqual({ paid: '30.50', status: 'partially_paid', version: 2, updatedAt: now });
    expect(events[0]).toMatchObject({ type: 'crm.payment.received', subject: ID });
    expect(events[0].data).toEqual({
      paymentId: cmd.paymentId,
      receivableId: ID,
      orderId: ORDER,
      amount: '30.50',
      currency: 'EUR',
      outstanding: '69.50',
      method: 'bank_transfer',
      receivedAt: now.toISOString(),
    });
  });

  it('a payment of what is outstanding makes the receivable paid', () => {
    expect(decidePayment(target({ paid: '69.5000', status: 'partially_paid' }), cmd).changes.receivable).toMatchObject({ paid: '100.00', status: 'paid' });
  });

  it.each([
    [
      'another currency',
      target(),
      { currency: 'USD' },
      { kind: 'invalid', fields: [expect.objectContaining({ field: 'currency', constraint: 'matchesReceivableCurrency' })] },
    ],
    ['a voided receivable', target({ status: 'voided' }), {}, { kind: 'conflict', code: 'RECEIVABLE_VOIDED' }],
    [
      'more than outstanding',
      target({ paid: '80' }),
      { amount: '20.01' },
      { kind: 'conflict', code: 'OVERPAYMENT', detail: 'The payment of 20.01 EUR exceeds the outstanding 20.00 EUR.' },
    ],
    ['a zero amount', target(), { amount: '0' }, { kind: 'invalid', fields: [expect.objectContaining({ field: 'amount', constraint: 'isPositiveAmount' })] }],
    ['a reference used before', target({}, true), {}, { kind: 'conflict', code: 'DUPLICATE_PAYMENT_REFERENCE' }],
  ])('refuses %s', (_, state, over, error) => {
    expect(() => decidePayment(state, { ...cmd, ...over })).toThrow(expect.objectContaining(error));
  });

  it('a reference used before does not matter for a payment without one', () => {
    expect(() => decidePayment(target({}, true), { ...cmd, reference: undefined })).not.toThrow();
  });
});
