import { DependencyUnavailableError, isTransientInfrastructureError } from './transient-error';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('isTransientInfrastructureError', () => {
  it.each([
    ['connection failure (08006)', withCode('08006')],
    ['admin shutdown (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['too many connections (53300)', withCode('53300')],
    ['refused socket', withCode('ECONNREFUSED')],
    ['dropped connection', new Error('Connection terminated unexpectedly')],
    ['an unreachable ERP', new DependencyUnavailableError('ERP answered 503')],
  ])('waits on %s', (_, error) => expect(isTransientInfrastructureError(error)).toBe(true));

  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a check violation (23514)', withCode('23514')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a non-error', 'nope'],
  ])('does not wait on %s', (_, error) => expect(isTransientInfrastructureError(error)).toBe(false));
});
