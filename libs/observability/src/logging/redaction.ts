/**
 * What a log line must never carry: the personal data of a contact or lead (docs/decisions/0024), the
 * caller's credentials, and search terms or addresses in a URL's query. Redaction is the logger's job, so a
 * careless `logger.log({ lead })` or a URL in a message cannot leak what the topics and tables keep sealed.
 */
export const REDACTED = '[redacted]';

/** Keys whose value is personal data or a credential, wherever they appear (to the depth pino's wildcards reach). */
export const PERSONAL_LOG_KEYS = [
  'name',
  'firstName',
  'lastName',
  'fullName',
  'contactName',
  'customerName',
  'email',
  'emails',
  'phone',
  'phones',
  'contact',
  'customer',
  'message',
  'content',
  'customerFeedback',
  'comment',
  'notes',
  'address',
  'body',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'token',
  // What a failed query carries (TypeORM's QueryFailedError): the bound values and PostgreSQL's `Key (email)=(…)`.
  'parameters',
  'detail',
  'driverError',
] as const;

// `message` and `name` at the top level of a line are pino's msg and an Error's class: only nested copies go.
const TOP_LEVEL_KEPT = new Set(['message', 'name']);
// pino's redact compiles these into one function; four levels cover `{ event: { data: { contact: { email } } } }`.
const DEPTHS = ['', '*.', '*.*.', '*.*.*.'];

const pathOf = (prefix: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${prefix}${key}` : `${prefix}["${key}"]`);

/**
 * The `redact.paths` of every service's logger. The `err.*` ones come first so pino gives `err` its own redactor,
 * which hands the censor the path `['err', …]` (a wildcard redactor hands it a symbol instead).
 */
export const PERSONAL_LOG_PATHS: string[] = ['err.parameters', 'err.detail', 'err.driverError'].concat(
  DEPTHS.flatMap((prefix) => PERSONAL_LOG_KEYS.filter((key) => prefix !== '' || !TOP_LEVEL_KEPT.has(key)).map((key) => pathOf(prefix, key))),
);

/**
 * What replaces a redacted value. An error's own `message` and `name` (`err.message`, matched by `*.message`) stay,
 * with any address or search term in them masked: they say what failed, and they are text the code wrote.
 */
export function censorPersonal(value: unknown, path: string[]): unknown {
  if (path.length === 2 && path[0] === 'err' && (path[1] === 'message' || path[1] === 'name')) {
    return typeof value === 'string' ? redactText(value) : value;
  }
  return REDACTED;
}

/** Query parameters whose value is a search term or a person's address. */
export const REDACTED_QUERY_PARAMS = ['q', 'search', 'email', 'phone', 'name'] as const;

const QUERY_VALUE = new RegExp(`([?&](?:${REDACTED_QUERY_PARAMS.join('|')})=)[^&#\\s"']*`, 'gi');
// An address in free text (an SMTP refusal, a driver's error message): the pattern is enough to know it is one.
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** Fields that hold a URL: their query values are masked like a message's. */
const URL_KEYS = ['url', 'uri', 'originalUrl', 'path', 'href'];

/** pino's `formatters.log`: masks the query values of URL fields at the top level and one level down (`req.url`). */
export function redactUrlFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === 'string' && URL_KEYS.includes(key)) out[key] = redactText(value);
    else if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Error)) {
      const nested = value as Record<string, unknown>;
      if (URL_KEYS.some((k) => typeof nested[k] === 'string')) {
        out[key] = Object.fromEntries(Object.entries(nested).map(([k, v]) => [k, typeof v === 'string' && URL_KEYS.includes(k) ? redactText(v) : v]));
      }
    }
  }
  return out;
}

/** A URL or message with the values of `q`, `search`, `email`, `phone`, `name` and any e-mail address replaced. */
export function redactText(text: string): string {
  return text.replace(QUERY_VALUE, `$1${REDACTED}`).replace(EMAIL, REDACTED);
}
