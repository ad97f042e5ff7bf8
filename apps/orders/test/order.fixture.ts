import type { Order } from '../src/orders/order.domain';

/** A plain order for the decision specs (no database). */
export const anOrder = (overrides: Partial<Order> = {}): Order => ({
  id: '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b',
  status: 'draft',
  opportunityId: null,
  repId: '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9',
  team: 'east',
  customer: { name: 'Li Wei', company: 'Acme Trading' },
  accountId: null,
  contactId: null,
  billingAddress: null,
  shippingAddress: null,
  region: null,
  currency: 'USD',
  total: '255.17',
  paymentTerms: 'NET30',
  promisedDeliveryDate: '2027-01-15',
  autoConfirmed: false,
  paymentStatus: 'unpaid',
  outstanding: null,
  holdReason: null,
  holdKind: null,
  erpRefusal: null,
  productionPercent: null,
  carrier: null,
  trackingNumber: null,
  cancelReason: null,
  createdBy: 'someone',
  version: 1,
  createdAt: new Date('2026-11-01T08:00:00Z'),
  lines: [
    {
      id: '0d1e2f30-4152-4637-8849-5a6b7c8d9e0f',
      sku: 'PUMP-200',
      productName: 'Pump 200 W',
      quantity: 3,
      unitPrice: '19.99',
      discount: '5.00',
      lineTotal: '54.97',
    },
    {
      id: '1e2f3041-5263-4748-895a-6b7c8d9e0f10',
      sku: 'VALVE-10',
      productName: 'Valve 10 mm',
      quantity: 2,
      unitPrice: '100.10',
      discount: '0.00',
      lineTotal: '200.20',
    },
  ],
  ...overrides,
});

export const NOW = new Date('2026-11-27T09:00:00Z');

/** Deterministic ids: id-1, id-2, … */
export const ids = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
