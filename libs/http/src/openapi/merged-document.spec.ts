import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The contract the merged API document (docs/api/openapi.json, what frontend teams generate clients from)
 * keeps. CI regenerates the document from the code and fails when the committed one differs
 * (`npm run docs:api -- --check`), so a controller that breaks a rule fails here.
 */
type Node = Record<string, any>;

const DOCS = join(__dirname, '..', '..', '..', '..', 'docs', 'api');
const read = (file: string): Node => JSON.parse(readFileSync(join(DOCS, file), 'utf8'));
const merged = read('openapi.json');

/** The verbs an operation id may start with: add one here when a new kind of operation needs it. */
const VERBS = [
  'list',
  'get',
  'create',
  'update',
  'set',
  'delete',
  'erase',
  'import',
  'export',
  'search',
  'submit',
  'receive',
  'stream',
  'mark',
  'run',
  'simulate',
  'train',
  'backfill',
  'qualify',
  'disqualify',
  'convert',
  'reassign',
  'hand',
  'complete',
  'move',
  'win',
  'lose',
  'reopen',
  'confirm',
  'reject',
  'cancel',
  'retry',
  'track',
  'acknowledge',
  'dismiss',
  'merge',
  'undo',
  'archive',
  'snooze',
  'rotate',
  'enable',
  'replay',
];

function operations(doc: Node): { where: string; op: Node }[] {
  return Object.entries<Node>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Node>(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path} (${String(op.operationId)})`, op })),
  );
}
const resolve = (doc: Node, response: Node): Node => (response.$ref ? doc.components.responses[String(response.$ref).split('/').pop()!] : response);
const isPublic = (op: Node) => Array.isArray(op.security) && op.security.length === 0;
const ops = operations(merged);

describe('the merged API document', () => {
  it('has operations', () => expect(ops.length).toBeGreaterThan(100));

  it('names every operation with a unique camelCase verb phrase', () => {
    const ids = ops.map(({ op }) => String(op.operationId));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const unreadable = ops.filter(({ op }) => {
      const id = String(op.operationId);
      return !/^[a-z]+(?:[A-Z][a-z0-9]*)*$/.test(id) || /Controller/.test(id) || !VERBS.includes(id.split(/(?=[A-Z])/)[0]);
    });
    expect(unreadable.map((o) => o.where)).toEqual([]);
  });

  it('documents a success answer with its body, or a 204 without one', () => {
    const without = ops.filter(({ op }) => {
      const success = Object.entries<Node>(op.responses).filter(([status]) => status.startsWith('2'));
      const described = success.filter(([status, r]) => (status === '204' ? !r.content : Object.values<Node>(r.content ?? {}).some((m) => m.schema)));
      return success.length === 0 || described.length !== success.length;
    });
    expect(without.map((o) => o.where)).toEqual([]);
  });

  it('answers every error as problem+json with the problem schema', () => {
    const bad = ops.flatMap(({ where, op }) =>
      Object.entries<Node>(op.responses)
        .filter(([status]) => Number(status) >= 400)
        .filter(([, r]) => resolve(merged, r).content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem')
        .map(([status]) => `${where} ${status}`),
    );
    expect(bad).toEqual([]);
    expect(merged.components.schemas.Problem.properties.errors.items.$ref).toBe('#/components/schemas/FieldError');
  });

  it('gives every secured operation its 401 and 403, and marks every public one `security: []`', () => {
    const secured = ops.filter(({ op }) => !isPublic(op));
    expect(merged.security).toEqual([{ bearer: [] }]);
    expect(secured.filter(({ op }) => !op.responses['401'] || !op.responses['403']).map((o) => o.where)).toEqual([]);
    // Signed webhooks carry an HMAC signature instead of a token.
    const signed = ops.filter(({ op }) => (op.parameters ?? []).some((p: Node) => String(p.name).toLowerCase() === 'x-signature'));
    expect(signed.length).toBeGreaterThanOrEqual(3);
    expect(signed.filter(({ op }) => !isPublic(op)).map((o) => o.where)).toEqual([]);
    expect(ops.filter(({ op }) => isPublic(op) && op.responses['403']).map((o) => o.where)).toEqual([]);
  });

  it("marks each service's health and metrics routes public", () => {
    for (const file of readdirSync(DOCS).filter((f) => f.endsWith('.openapi.json'))) {
      const operator = operations(read(file)).filter(({ where }) => / \/(health|metrics)/.test(where));
      expect([file, operator.length]).toEqual([file, 3]);
      expect(operator.filter(({ op }) => !isPublic(op)).map((o) => `${file}: ${o.where}`)).toEqual([]);
    }
  });

  it('lists each parameter once, ignoring the case of its name', () => {
    const duplicated = ops.filter(({ op }) => {
      const keys = (op.parameters ?? []).map((p: Node) => `${p.in}:${String(p.name).toLowerCase()}`);
      return new Set(keys).size !== keys.length;
    });
    expect(duplicated.map((o) => o.where)).toEqual([]);
  });

  it('gives every JSON request body an example', () => {
    const without = ops.filter(({ op }) => {
      const json = op.requestBody?.content?.['application/json'];
      return json && (json.example === undefined || (typeof json.example === 'object' && Object.keys(json.example).length === 0));
    });
    expect(without.map((o) => o.where)).toEqual([]);
  });

  it('types every value, so a generated client has no unknown or empty-object type', () => {
    const untyped: string[] = [];
    const visit = (schema: Node | undefined, where: string): void => {
      if (!schema || schema.$ref) return;
      if (schema.allOf || schema.oneOf || schema.anyOf) {
        for (const part of schema.allOf ?? schema.oneOf ?? schema.anyOf) visit(part, where);
        return;
      }
      if (!schema.type && !schema.enum) untyped.push(where);
      if (schema.type === 'object' && !schema.properties && schema.additionalProperties === undefined) untyped.push(`${where} (empty object)`);
      for (const [name, property] of Object.entries<Node>(schema.properties ?? {})) visit(property, `${where}.${name}`);
      if (typeof schema.additionalProperties === 'object') visit(schema.additionalProperties, `${where}{}`);
      if (schema.items) visit(schema.items, `${where}[]`);
    };
    for (const [name, schema] of Object.entries<Node>(merged.components.schemas)) visit(schema, name);
    for (const { where, op } of ops) {
      for (const p of op.parameters ?? []) visit(p.schema, `${where} ${p.in} ${p.name}`);
      for (const [type, media] of Object.entries<Node>(op.requestBody?.content ?? {})) visit(media.schema, `${where} body ${type}`);
      for (const [status, r] of Object.entries<Node>(op.responses)) for (const m of Object.values<Node>(r.content ?? {})) visit(m.schema, `${where} ${status}`);
    }
    expect(untyped).toEqual([]);
  });

  it('describes every tag an operation uses', () => {
    const described = new Set(merged.tags.filter((t: Node) => t.description).map((t: Node) => t.name));
    expect([...new Set(ops.flatMap(({ op }) => op.tags ?? []))].filter((t) => !described.has(t))).toEqual([]);
  });
});
