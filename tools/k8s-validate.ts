// Schema validation of rendered Kubernetes manifests, offline (kubeconform-style), with the JSON schemas of
// kubernetes-models (core API), @kubernetes-models/prometheus-operator and @kubernetes-models/keda:
//   kubectl kustomize deploy/k8s | node -r ./tools/register.js tools/k8s-validate.ts -
//   node -r ./tools/register.js tools/k8s-validate.ts rendered.yaml other.yaml
// Fails with kind/name and the field of every invalid object, and on any kind it has no schema for.
// Unknown fields are not reported (the models' schemas allow them); the API server prunes or rejects those.
import { readFileSync } from 'node:fs';
import * as kubernetes from 'kubernetes-models';
import * as keda from '@kubernetes-models/keda';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';
import { parseAllDocuments } from 'yaml';

type Model = new (data: object) => { validate(): void };
type ModelTree = Record<string, Record<string, Record<string, unknown>>>;

/** `networking.k8s.io` → `networkingK8sIo`, the key the model packages export a group under. */
const groupKey = (group: string): string =>
  group
    .split(/[.-]/)
    .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');

const TREES: ModelTree[] = [kubernetes, prometheusOperator, keda] as unknown as ModelTree[];

/** The model class of an apiVersion and kind, or undefined when no package knows it. */
export function modelFor(apiVersion: string, kind: string): Model | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  for (const tree of TREES) {
    const versions = group === '' ? tree : tree[groupKey(group)];
    const model = (versions as ModelTree | undefined)?.[version]?.[kind];
    if (typeof model === 'function') return model as Model;
  }
  return undefined;
}

interface SchemaError {
  instancePath?: string;
  message?: string;
}

/** Every problem of every object in these YAML documents, as `<source>: <kind>/<name>: <field> <message>`. */
export function validateManifests(text: string, source = '-'): string[] {
  const problems: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      problems.push(`${source}: YAML: ${doc.errors[0].message}`);
      continue;
    }
    const object = doc.toJSON() as { apiVersion?: string; kind?: string; metadata?: { name?: string } } | null;
    if (object === null) continue; // an empty document between two `---`
    const id = `${object.kind ?? '(no kind)'}/${object.metadata?.name ?? '(no name)'}`;
    if (!object.apiVersion || !object.kind) {
      problems.push(`${source}: ${id}: apiVersion and kind are required`);
      continue;
    }
    const Model = modelFor(object.apiVersion, object.kind);
    if (!Model) {
      problems.push(`${source}: ${id}: no schema for ${object.apiVersion} ${object.kind} (unknown kind)`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (err) {
      const errors = (err as { errors?: SchemaError[] }).errors;
      if (!errors?.length) problems.push(`${source}: ${id}: ${(err as Error).message}`);
      for (const e of errors ?? []) problems.push(`${source}: ${id}: ${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
    }
  }
  return problems;
}

function main(): void {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: k8s-validate.ts <file.yaml | ->...');
  let objects = 0;
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file === '-' ? 0 : file, 'utf8');
    objects += parseAllDocuments(text).filter((d) => d.contents !== null).length;
    problems.push(...validateManifests(text, file));
  }
  if (objects === 0) problems.push(`no objects in ${files.join(', ')} (did the render fail?)`);
  if (problems.length) {
    for (const p of problems) console.error(`k8s-validate: ${p}`);
    process.exit(1);
  }
  console.log(`k8s-validate: ${objects} objects valid (${files.length > 2 ? `${files.length} files` : files.join(', ')})`);
}

if (require.main === module) main();
