// What the client's generator repairs in the merged document before typing it (see `repaired`).

type Parameter = { name: string; in: string; description?: string };
type Operation = { operationId?: string; parameters?: Parameter[] };
export type PathsDocument = { paths: Record<string, Record<string, unknown>> };

const isOperation = (value: unknown): value is Operation => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Two repairs that change nothing in a document without the faults (its linter reports them in CI), so that the
 * generated types compile and read as the API behaves:
 * - an operation id two operations share would give the `operations` interface one member with two types: such
 *   operations lose the id and are typed inline under their paths (the client finds operations by path and method);
 * - header names are case-insensitive: of two parameters naming one header (`If-Match` and `if-match`), the
 *   documented one is kept.
 */
export function repaired<D extends PathsDocument>(doc: D): D {
  const operations = Object.values(doc.paths)
    .flatMap((item) => Object.values(item))
    .filter(isOperation);
  const uses = new Map<string, number>();
  for (const op of operations) if (op.operationId) uses.set(op.operationId, (uses.get(op.operationId) ?? 0) + 1);
  const repair = (op: Operation): Operation => {
    const headers = new Map<string, Parameter>();
    for (const p of op.parameters ?? []) {
      const key = p.name.toLowerCase();
      if (p.in === 'header' && (!headers.has(key) || (!headers.get(key)!.description && p.description))) headers.set(key, p);
    }
    const parameters = op.parameters?.filter((p) => p.in !== 'header' || headers.get(p.name.toLowerCase()) === p);
    const { operationId, ...rest } = op;
    return { ...rest, ...(operationId && (uses.get(operationId) ?? 0) < 2 && { operationId }), ...(parameters && { parameters }) };
  };
  const paths = Object.fromEntries(
    Object.entries(doc.paths).map(([path, item]) => [path, Object.fromEntries(Object.entries(item).map(([k, v]) => [k, isOperation(v) ? repair(v) : v]))]),
  );
  return { ...doc, paths };
}
