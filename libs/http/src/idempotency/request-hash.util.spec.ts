import { hashRequestBody } from './request-hash.util';

describe('hashRequestBody', () => {
  it('ignores key order at any depth', () => {
    expect(hashRequestBody({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(hashRequestBody({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  });

  it('tells different bodies apart, including array order', () => {
    expect(hashRequestBody({ a: 1 })).not.toBe(hashRequestBody({ a: 2 }));
    expect(hashRequestBody([1, 2])).not.toBe(hashRequestBody([2, 1]));
    expect(hashRequestBody({ a: '1' })).not.toBe(hashRequestBody({ a: 1 }));
  });
});
