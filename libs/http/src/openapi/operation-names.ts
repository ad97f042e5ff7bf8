/**
 * Operation ids a person would write (`listLeads`, `getLead`, `qualifyLead`, `handOverOpportunity`), derived
 * from the HTTP method, the path and the handler's name, so that every endpoint, including the next one
 * added, gets one without a decorator. `@ApiOperation({ operationId })` overrides where the rule reads badly.
 */

/** What the rule needs to know about one operation. */
export interface OperationShape {
  method: string;
  path: string;
  /** The controller method's name (`submit`, `moveStage`). */
  handler: string;
  /** Whether the path also answers GET: a POST there adds to a collection instead of acting on a record. */
  pathHasGet: boolean;
  /** Whether the 2xx answer is a list (an array or a page): GET `list…` rather than `get…`, as is a plural path. */
  returnsList: boolean;
  /** Whether the 2xx answer is a CSV file: GET `export…`. */
  returnsCsv: boolean;
}

const API_PREFIX = /^\/api\/v\d+\//;
/** Words that are neither singular nor plural: `notification-settings` is one thing, `stock` is not a list of stocks. */
const UNCOUNTABLE = new Set(['settings', 'preferences', 'stock', 'analytics', 'feedback', 'history', 'series', 'news', 'status', 'sales']);
const VERB_OF_METHOD: Record<string, string> = { patch: 'update', put: 'set', delete: 'delete' };

const isParam = (segment: string) => segment.startsWith('{');
const words = (kebab: string) => kebab.split(/[-_]/).filter(Boolean);
const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const pascal = (kebab: string) => words(kebab).map(capital).join('');
const camel = (kebab: string) => {
  const p = pascal(kebab);
  return p.charAt(0).toLowerCase() + p.slice(1);
};
const camelWords = (name: string) => name.split(/(?=[A-Z])/).map((w) => w.toLowerCase());

function isPlural(segment: string): boolean {
  const last = words(segment).pop() ?? '';
  return !UNCOUNTABLE.has(last) && last.endsWith('s') && !last.endsWith('ss');
}

/** `opportunities` → `opportunity`, `webhook-deliveries` → `webhook-delivery`, `follow-ups` → `follow-up`. */
export function singular(segment: string): string {
  const parts = words(segment);
  const last = parts.pop() ?? '';
  if (UNCOUNTABLE.has(last) || !isPlural(last)) return segment;
  const one = last.endsWith('ies') ? `${last.slice(0, -3)}y` : last.endsWith('sses') ? last.slice(0, -2) : last.slice(0, -1);
  return [...parts, one].join('-');
}

/**
 * The path's last literal segment is an action (`/leads/{id}/qualify`, `/leads/import`) rather than a
 * collection (`/leads/{id}/follow-ups`) when a POST sends it, no GET answers there and it is no plural noun.
 */
function actionOf(shape: OperationShape, literals: string[], segments: string[]): string | undefined {
  const last = segments[segments.length - 1];
  if (shape.method !== 'post' || literals.length < 2 || isParam(last) || shape.pathHasGet || isPlural(last)) return undefined;
  return last;
}

/** The handler's name refines an action named by a noun: `track` on `/tracking`, `moveStage` on `/stage`. */
function actionVerb(action: string, handler: string, resource: string): string {
  const segment = camel(action);
  if (segment.startsWith(handler) && handler !== segment) return `${handler}${resource}`;
  if (handler.endsWith(capital(segment)) && handler !== segment) return `${handler.slice(0, -segment.length)}${resource}${capital(segment)}`;
  return `${segment}${resource}`;
}

export function deriveOperationId(shape: OperationShape): string {
  const segments = shape.path.replace(API_PREFIX, '').split('/').filter(Boolean);
  // `/leads/export` answering text/csv is `exportLeads`, as is `/leads` when it answers CSV only.
  if (shape.method === 'get' && shape.returnsCsv && ['export', 'csv'].includes(segments[segments.length - 1])) segments.pop();
  const literals = segments.filter((s) => !isParam(s));
  const action = actionOf(shape, literals, segments);
  const nounSegments = action ? segments.slice(0, -1) : segments;
  const endsWithParam = isParam(nounSegments[nounSegments.length - 1] ?? '');
  // A literal followed by an id names one record of that collection: `/orders/{id}/feedback` → OrderFeedback.
  const nouns = nounSegments
    .map((segment, i) => (isParam(segment) ? undefined : isParam(nounSegments[i + 1] ?? '') ? singular(segment) : segment))
    .filter((s): s is string => s !== undefined);
  const resource = (lastSingular: boolean) => nouns.map((n, i) => pascal(i === nouns.length - 1 && lastSingular ? singular(n) : n)).join('');
  if (action) return actionVerb(action, shape.handler, resource(endsWithParam));
  if (endsWithParam) return `${VERB_OF_METHOD[shape.method] ?? 'get'}${resource(true)}`;
  switch (shape.method) {
    case 'get':
      if (shape.returnsCsv) return `export${resource(false)}`;
      return shape.returnsList || isPlural(nouns[nouns.length - 1] ?? '') ? `list${resource(false)}` : `get${resource(false)}`;
    case 'post':
      return `create${resource(true)}`;
    default:
      return `${VERB_OF_METHOD[shape.method] ?? shape.method}${resource(false)}`;
  }
}

/** `listLeadFollowUps` → `List lead follow ups`: the summary of an operation that gives none. */
export function summaryOf(operationId: string): string {
  const [first = '', ...rest] = camelWords(operationId);
  return [capital(first), ...rest].join(' ');
}
