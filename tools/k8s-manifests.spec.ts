// What the rendered manifests promise operators (deploy/README.md § Kubernetes), checked on the real render.
// Needs kubectl (v1.32 here); where it is missing the suite is skipped and deploy-checks validates files alone.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..');
const SERVICES = ['leads', 'opportunities', 'orders', 'inventory', 'finance', 'analytics', 'customers', 'notifications'];
const PARTITIONS = 3; // ensureTopics in libs/messaging

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, any>;
}

function render(dir: string): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', join(ROOT, dir)], { encoding: 'utf8', timeout: 60_000 });
  return parseAllDocuments(text).map((d) => d.toJSON() as K8sObject);
}
const named = (objects: K8sObject[], kind: string) => new Map(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));

// Needs kubectl on the PATH (tools/deploy-checks.sh says where it comes from): without it these fail, not skip.
describe('rendered manifests', () => {
  const base = render('deploy/k8s');
  const operators = render('deploy/k8s-operators');
  const params = parse(readFileSync(join(ROOT, 'deploy/k8s/network-parameters.yaml'), 'utf8')).data as Record<string, string>;
  const policies = named(base, 'NetworkPolicy');

  it('gives every service a disruption budget and a CPU autoscaler from 2 to the partition count', () => {
    const pdbs = named(base, 'PodDisruptionBudget');
    const hpas = named(base, 'HorizontalPodAutoscaler');
    for (const s of SERVICES) {
      const labels = named(base, 'Deployment').get(`crm-${s}`)?.spec.selector.matchLabels;
      expect(pdbs.get(`crm-${s}`)?.spec).toEqual({ minAvailable: 1, selector: { matchLabels: labels } });
      expect(hpas.get(`crm-${s}`)?.spec).toMatchObject({
        scaleTargetRef: { kind: 'Deployment', name: `crm-${s}` },
        minReplicas: 2,
        maxReplicas: PARTITIONS,
      });
    }
  });

  it('denies by default and copies network-parameters.yaml into the policies, leaving no placeholder', () => {
    expect(policies.get('crm-default-deny')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const egress = policies.get('crm-egress-platform')?.spec.egress.map((r: any) => [r.to[0].ipBlock.cidr, r.ports.map((p: any) => p.port)]);
    expect(egress).toEqual([
      [params.postgresCidr, [5432]],
      [params.kafkaCidr, [9092, 9093]],
      [params.otelCollectorCidr, [4318]],
      [params.oidcProviderCidr, [443]],
    ]);
    expect(policies.get('crm-egress-erp-inventory')?.spec.egress[0].to[0].ipBlock.cidr).toBe(params.inventoryErpCidr);
    expect(policies.get('crm-egress-erp-finance')?.spec.egress[0].to[0].ipBlock.cidr).toBe(params.financeErpCidr);
    expect(policies.get('crm-egress-mail-webhooks-notifications')?.spec.egress[0].to[0].ipBlock.cidr).toBe(params.smtpCidr);
    expect(JSON.stringify(base)).not.toMatch(/_CIDR|crm-network-parameters/);
  });

  it('lets each service be called only from the ingress and Prometheus namespaces, on its HTTP port', () => {
    for (const s of SERVICES) {
      const spec = policies.get(`crm-${s}`)?.spec;
      expect(spec?.podSelector.matchLabels).toMatchObject({ 'app.kubernetes.io/name': s });
      expect(spec?.ingress).toEqual(
        [params.ingressNamespace, params.prometheusNamespace].map((ns) => ({
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }],
          ports: [{ protocol: 'TCP', port: 'http' }],
        })),
      );
    }
  });

  it('gives the external systems to the services that call them only', () => {
    const egressOf = (s: string) =>
      [...policies.values()].filter((p) => p.spec.egress && p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === s).map((p) => p.metadata.name);
    expect(Object.fromEntries(SERVICES.map((s) => [s, egressOf(s)]))).toEqual({
      ...Object.fromEntries(SERVICES.map((s) => [s, []])),
      inventory: ['crm-egress-erp-inventory'],
      finance: ['crm-egress-erp-finance'],
      notifications: ['crm-egress-mail-webhooks-notifications'],
    });
  });

  it('with KEDA, replaces every HPA by a ScaledObject on consumer lag with the same bounds, in the namespace', () => {
    expect(named(operators, 'HorizontalPodAutoscaler').size).toBe(0);
    const scaled = named(operators, 'ScaledObject');
    for (const s of SERVICES) {
      const o = scaled.get(`crm-${s}`);
      expect(o?.metadata.namespace).toBe('sales-crm');
      expect(o?.spec).toMatchObject({ scaleTargetRef: { name: `crm-${s}` }, minReplicaCount: 2, maxReplicaCount: PARTITIONS });
      expect(o?.spec.triggers[0].metadata.query).toContain(`crm_consumer_lag{service="${s}"}`);
    }
    expect(named(operators, 'ServiceMonitor').get('crm')?.metadata.namespace).toBe('sales-crm');
    expect(named(operators, 'PrometheusRule').get('crm-alerts')?.metadata.namespace).toBe('sales-crm');
  });
});
