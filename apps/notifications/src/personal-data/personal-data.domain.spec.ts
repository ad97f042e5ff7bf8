import { labelValues, personalValuesIn, scrubParams } from './personal-data.domain';

describe('a notification without the person', () => {
  const params = {
    orderId: 'o-1',
    rating: 2,
    label: 'ACME · Li Lei',
    comment: 'Li Lei says call 139 0000 1111',
    customer: { name: 'Li Lei', email: 'li.lei@example.cn', phone: '139 0000 1111', company: 'ACME' },
    originalTitle: 'Customer complaint: ACME · Li Lei',
    shortages: [{ sku: 'SKU-1', available: 1, requested: 2 }],
  };

  it('finds the values of the customer and the free texts, and the person in a label', () => {
    expect(personalValuesIn(params).sort()).toEqual(['139 0000 1111', 'Li Lei', 'Li Lei says call 139 0000 1111', 'li.lei@example.cn'].sort());
    expect(labelValues('ACME · Li Lei')).toEqual(['ACME · Li Lei', 'Li Lei']);
    expect(labelValues('[erased]')).toEqual([]);
  });

  it('replaces them by [erased] and keeps the business facts', () => {
    const values = [...personalValuesIn(params), ...labelValues(params.label)];
    const scrubbed = scrubParams(params, values);
    expect(scrubbed).toEqual({
      orderId: 'o-1',
      rating: 2,
      label: '[erased]',
      comment: '[erased]',
      customer: { name: '[erased]' },
      originalTitle: 'Customer complaint: [erased]',
      shortages: [{ sku: 'SKU-1', available: 1, requested: 2 }],
    });
    expect(JSON.stringify(scrubbed)).not.toMatch(/Li Lei|li\.lei|139/);
  });
});
