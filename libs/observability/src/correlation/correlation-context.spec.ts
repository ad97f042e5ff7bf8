import { setTimeout as sleep } from 'node:timers/promises';
import {
  clientAddress,
  currentCorrelationId,
  currentRequest,
  isSaneCorrelationId,
  runWithCorrelation,
  runWithRequest,
  setCurrentUser,
} from './correlation-context';

describe('correlation context', () => {
  it('has no id outside any run', () => {
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('exposes the id across awaits inside the run, and returns what fn returns', async () => {
    const seen = await runWithCorrelation('evt-1', async () => {
      await sleep(1);
      return currentCorrelationId();
    });

    expect(seen).toBe('evt-1');
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('keeps concurrent runs apart and restores the outer id after a nested run', async () => {
    const outer = runWithCorrelation('a', async () => {
      await sleep(5);
      const inner = runWithCorrelation('b', () => currentCorrelationId());
      return [inner, currentCorrelationId()];
    });
    const other = runWithCorrelation('c', async () => {
      await sleep(1);
      return currentCorrelationId();
    });

    expect(await outer).toEqual(['b', 'a']);
    expect(await other).toBe('c');
  });

  it.each([
    ['a uuid', '3f2b8c1e-6d0a-4b7e-9c55-0d2f6a1b9e10', true],
    ['dots, colons and underscores', 'svc:req_1.2', true],
    ['128 characters', 'x'.repeat(128), true],
    ['129 characters', 'x'.repeat(129), false],
    ['empty', '', false],
    ['a newline', 'abc\ninjected', false],
    ['a space', 'a b', false],
    ['a header list', 'a, b', false],
    ['not a string', ['a'], false],
  ])('judges %s sane: %s', (_what, value, sane) => {
    expect(isSaneCorrelationId(value)).toBe(sane);
  });

  it('carries the client and, once verified, the caller of a request', () => {
    const seen = runWithRequest('req-1', { clientIp: '203.0.113.7', userAgent: 'ua' }, () => {
      setCurrentUser({ sub: 'rep-1', roles: ['sales_rep'] });
      return currentRequest();
    });
    expect(seen).toEqual({ correlationId: 'req-1', clientIp: '203.0.113.7', userAgent: 'ua', user: { sub: 'rep-1', roles: ['sales_rep'] } });
    expect(() => setCurrentUser({ sub: 'x', roles: [] })).not.toThrow();
  });

  it.each([
    ['no header: the peer', '203.0.113.7', undefined, '203.0.113.7'],
    ["the gateway's own (last) entry, not the client's", '10.0.0.5', '198.51.100.1, 203.0.113.9', '203.0.113.9'],
    ['a loopback gateway', '127.0.0.1', '203.0.113.9', '203.0.113.9'],
    ['a public peer cannot claim another address', '203.0.113.7', '10.1.1.1', '203.0.113.7'],
    ['garbage in the header: the peer', '172.18.0.3', '<script>', '172.18.0.3'],
  ])('client address: %s', (_what, peer, header, expected) => {
    expect(clientAddress(peer, header)).toBe(expected);
  });
});
