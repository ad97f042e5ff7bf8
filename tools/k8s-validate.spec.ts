import { modelFor, validateManifests } from './k8s-validate';

const deployment = (replicas: unknown) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: crm-orders }
spec:
  replicas: ${JSON.stringify(replicas)}
  selector: { matchLabels: { app: orders } }
  template:
    metadata: { labels: { app: orders } }
    spec: { containers: [{ name: app, image: sales-crm/orders }] }
`;

describe('validateManifests', () => {
  it('accepts valid objects of the core API, prometheus-operator and KEDA', () => {
    const text = [
      deployment(2),
      `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: crm }
spec: { selector: { matchLabels: { app: orders } }, endpoints: [{ port: http, path: /metrics }] }`,
      `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: crm-orders }
spec: { scaleTargetRef: { name: crm-orders }, triggers: [{ type: cpu, metricType: Utilization, metadata: { value: "70" } }] }`,
    ].join('\n---\n');
    expect(validateManifests(text)).toEqual([]);
  });

  it('names the object and the field of a wrong value', () => {
    expect(validateManifests(deployment('two'), 'rendered.yaml')).toEqual(['rendered.yaml: Deployment/crm-orders: /spec/replicas must be integer']);
  });

  it('rejects a kind no schema knows, and an object without a kind', () => {
    expect(validateManifests('apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n')).toEqual([
      '-: Widget/w: no schema for example.com/v1 Widget (unknown kind)',
    ]);
    expect(validateManifests('apiVersion: apps/v1\nkind: Deploymnet\nmetadata: { name: d }\n')).toHaveLength(1);
    expect(validateManifests('metadata: { name: x }\n')).toEqual(['-: (no kind)/x: apiVersion and kind are required']);
  });

  it('reports a required field that is missing and a YAML syntax error', () => {
    const noTarget = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: h }\nspec: { maxReplicas: 3 }\n';
    expect(validateManifests(noTarget)).toEqual(['-: HorizontalPodAutoscaler/h: /spec must have required property scaleTargetRef']);
    expect(validateManifests('kind: [unclosed\n')[0]).toMatch(/^-: YAML: /);
  });

  it('finds the model of a grouped, a core and a custom apiVersion', () => {
    expect(modelFor('networking.k8s.io/v1', 'NetworkPolicy')?.name).toBe('NetworkPolicy');
    expect(modelFor('v1', 'Service')?.name).toBe('Service');
    expect(modelFor('monitoring.coreos.com/v1', 'PrometheusRule')?.name).toBe('PrometheusRule');
    expect(modelFor('policy/v1', 'Nope')).toBeUndefined();
  });
});
