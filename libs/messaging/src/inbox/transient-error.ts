// SQLSTATE classes and node socket errors that mean "the database is unreachable or overloaded",
// not "this message is bad": waiting fixes them, dead-lettering would lose good events.
const TRANSIENT_SQLSTATE = /^(08|53|57P0[123])/;
const TRANSIENT_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const TRANSIENT_MESSAGE = /Connection terminated|connection timeout|timeout exceeded when trying to connect/i;

export function isTransientInfrastructureError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_SOCKET.has(code))) return true;
  return TRANSIENT_MESSAGE.test(error.message);
}
