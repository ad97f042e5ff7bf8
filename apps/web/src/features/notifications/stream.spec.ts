import { backoffMs } from './stream';

describe('the live stream reconnect delay', () => {
  it('doubles from the base with each attempt', () => {
    expect(backoffMs(0, 1_000, 1)).toBe(1_000);
    expect(backoffMs(1, 1_000, 1)).toBe(2_000);
    expect(backoffMs(3, 1_000, 1)).toBe(8_000);
  });
  it('never waits more than 30 s, however many attempts failed', () => expect(backoffMs(50, 1_000, 1)).toBe(30_000));
  it('spreads clients out: between half and all of the step', () => {
    expect(backoffMs(2, 1_000, 0)).toBe(2_000);
    expect(backoffMs(2, 2_000, 0.5)).toBe(6_000);
  });
});
