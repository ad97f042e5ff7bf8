import { Logger } from '@nestjs/common';
import { LogCapture } from '../../test/observability-test-app';
import { runWithCorrelation } from '../correlation/correlation-context';
import { createJsonLogger } from './json-logger.service';

describe('createJsonLogger', () => {
  const originalLevel = process.env.LOG_LEVEL;

  afterEach(() => {
    if (originalLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = originalLevel;
  });

  it('writes one JSON line with service, level, time, msg, context and correlationId', () => {
    const out = new LogCapture();
    const logger = createJsonLogger('orders', { destination: out });

    logger.log('order placed', 'OrdersService');

    expect(out.lines).toEqual([
      {
        service: 'orders',
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        msg: 'order placed',
        context: 'OrdersService',
        correlationId: null,
      },
    ]);
  });

  it('takes the correlation id of the current run', () => {
    const out = new LogCapture();
    const logger = createJsonLogger('orders', { destination: out });

    runWithCorrelation('corr-42', () => logger.warn('slow'));

    expect(out.lines[0]).toMatchObject({ level: 'warn', msg: 'slow', correlationId: 'corr-42' });
  });

  it('works as the app logger behind Nest Logger instances', () => {
    const out = new LogCapture();
    Logger.overrideLogger(createJsonLogger('orders', { destination: out }));
    try {
      new Logger('Scheduler').log('tick');
      new Logger('Scheduler').error('tick failed');
    } finally {
      Logger.overrideLogger(false);
    }

    expect(out.lines.map((l) => [l.level, l.msg, l.context])).toEqual([
      ['info', 'tick', 'Scheduler'],
      ['error', 'tick failed', 'Scheduler'],
    ]);
  });

  it('logs an Error with its stack', () => {
    const out = new LogCapture();
    const logger = createJsonLogger('orders', { destination: out });

    logger.error(new Error('boom'), 'ExceptionsHandler');

    expect(out.lines[0]).toMatchObject({
      level: 'error',
      msg: 'boom',
      context: 'ExceptionsHandler',
      err: { type: 'Error', message: 'boom', stack: expect.stringContaining('json-logger.service.spec.ts') },
    });
  });

  it('reads a stack string as a stack, with or without a context after it', () => {
    const out = new LogCapture();
    const logger = createJsonLogger('orders', { destination: out });
    const { stack } = new Error('db down');

    logger.error('query failed', stack);
    logger.error('query failed', stack, 'OrdersRepository');

    expect(out.lines[0]).toMatchObject({ context: null, err: { stack } });
    expect(out.lines[1]).toMatchObject({ context: 'OrdersRepository', err: { stack } });
  });

  it('merges an object message into the line', () => {
    const out = new LogCapture();
    const logger = createJsonLogger('orders', { destination: out });

    logger.log({ event: 'lead.assigned', attempts: 2 }, 'Relay');

    expect(out.lines[0]).toMatchObject({ event: 'lead.assigned', attempts: 2, context: 'Relay' });
  });

  it('honours LOG_LEVEL, defaulting to info', () => {
    const atDefault = new LogCapture();
    delete process.env.LOG_LEVEL;
    createJsonLogger('orders', { destination: atDefault }).debug('hidden');

    const atDebug = new LogCapture();
    process.env.LOG_LEVEL = 'debug';
    const logger = createJsonLogger('orders', { destination: atDebug });
    logger.debug('shown');
    logger.verbose('still hidden');

    expect(atDefault.lines).toEqual([]);
    expect(atDebug.lines.map((l) => [l.level, l.msg])).toEqual([['debug', 'shown']]);
  });

  it('refuses an unknown LOG_LEVEL at creation', () => {
    process.env.LOG_LEVEL = 'loud';

    expect(() => createJsonLogger('orders')).toThrow(/LOG_LEVEL "loud"/);
  });
});
