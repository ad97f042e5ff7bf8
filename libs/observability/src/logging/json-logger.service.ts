import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { correlationStorage } from '../correlation/correlation-context';
import { censorPersonal, PERSONAL_LOG_PATHS, redactText, redactUrlFields } from './redaction';

export interface JsonLoggerOptions {
  /** Where JSON lines go; stdout when omitted. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** Overrides `LOG_LEVEL`; `info` when neither is set. */
  level?: string;
}

// Same shape as Nest's ConsoleLogger check, so `logger.error(message, err.stack)` is read as a stack, not a context.
const STACK_FORMAT = /^(.)+\n\s+at .+:\d+:\d+/;

interface ParsedCall {
  msg: string | undefined;
  fields: Record<string, unknown>;
}

/** A Nest LoggerService that writes one JSON object per line, every line carrying the correlation id. */
export class JsonLogger implements LoggerService {
  constructor(private readonly pinoLogger: Logger) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  private write(level: Level, message: unknown, optionalParams: unknown[]): void {
    if (!this.pinoLogger.isLevelEnabled(level)) return;
    const { msg, fields } = parseNestCall(message, optionalParams);
    // A message is text built by the code, but it may quote a URL with its query or an address from an error.
    this.pinoLogger[level](fields, msg === undefined ? msg : redactText(msg));
  }
}

// Nest's Logger appends the context as the last string argument; errors arrive as an Error or as a stack string.
function parseNestCall(message: unknown, optionalParams: unknown[]): ParsedCall {
  const params = [...optionalParams];
  const fields: Record<string, unknown> = { context: null };
  const last = params[params.length - 1];
  if (typeof last === 'string' && !STACK_FORMAT.test(last)) {
    fields.context = params.pop();
  }

  let msg: string | undefined;
  if (message instanceof Error) {
    fields.err = message;
    msg = message.message;
  } else if (typeof message === 'object' && message !== null) {
    Object.assign(fields, message);
  } else if (message !== undefined) {
    msg = String(message);
  }

  const extra: unknown[] = [];
  for (const param of params) {
    if (param instanceof Error) fields.err = param;
    else if (typeof param === 'string' && STACK_FORMAT.test(param)) fields.err = { stack: param };
    else if (param !== undefined) extra.push(param);
  }
  if (extra.length > 0) fields.params = extra;
  return { msg, fields };
}

// pino's error serializer, with addresses and search terms masked in the stack (its first line is the message).
function serializeError(err: Error): ReturnType<typeof pino.stdSerializers.err> {
  const serialized = pino.stdSerializers.err(err);
  if (typeof serialized.stack === 'string') serialized.stack = redactText(serialized.stack);
  return serialized;
}

function logContext(): Record<string, unknown> {
  const store = correlationStorage.getStore();
  if (!store?.span) return { correlationId: store?.correlationId ?? null };
  const { traceId, spanId } = store.span.spanContext();
  return { correlationId: store.correlationId, trace_id: traceId, span_id: spanId };
}

export function createJsonLogger(serviceName: string, options: JsonLoggerOptions = {}): JsonLogger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  // Fail at boot on a typo rather than silently logging at some other level.
  if (!(level in pino.levels.values) && level !== 'silent') {
    throw new Error(`LOG_LEVEL "${level}" is not one of ${Object.keys(pino.levels.values).join(', ')}, silent`);
  }
  const pinoLogger = pino(
    {
      level,
      // Replaces pino's default pid/hostname: the orchestrator already labels those.
      base: { service: serviceName },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: redactUrlFields },
      serializers: { err: serializeError },
      // Personal data and credentials never reach a line, whoever logs an object carrying them (ADR 0024).
      redact: { paths: PERSONAL_LOG_PATHS, censor: censorPersonal },
      // Read at write time, so a line logged anywhere inside a request or consumed event carries its id, and,
      // when it is traced, the ids that find its trace and span in the tracing backend.
      mixin: logContext,
    },
    options.destination,
  );
  return new JsonLogger(pinoLogger);
}
