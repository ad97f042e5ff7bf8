// deploy/prometheus/alerts.yml, the one source of the alert rules, as a prometheus-operator PrometheusRule:
//   node -r ./tools/register.js tools/prometheus-rule.ts           writes deploy/k8s/components/monitoring/prometheus-rule.yaml
//   node -r ./tools/register.js tools/prometheus-rule.ts --check   fails if that file is not what alerts.yml gives,
//                                                                  or an alert lacks its runbook (docs/runbooks/<alert>.md)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const ROOT = join(__dirname, '..');
export const ALERTS = join(ROOT, 'deploy/prometheus/alerts.yml');
export const RULE = join(ROOT, 'deploy/k8s/components/monitoring/prometheus-rule.yaml');

/** The PrometheusRule (YAML text) holding exactly the groups of this alerts.yml text. */
export function prometheusRule(alertsYaml: string): string {
  const { groups } = parse(alertsYaml) as { groups: unknown[] };
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'crm-alerts',
      // kube-prometheus-stack's default ruleSelector; set it to your Prometheus' ruleSelector.
      labels: { release: 'prometheus' },
    },
    spec: { groups },
  };
  return (
    '# Generated from deploy/prometheus/alerts.yml by tools/prometheus-rule.ts; do not edit, regenerate:\n' +
    '#   node -r ./tools/register.js tools/prometheus-rule.ts   (tools/deploy-checks.sh fails until you do)\n' +
    stringify(rule, { lineWidth: 0 })
  );
}

interface AlertRule {
  alert?: string;
  annotations?: Record<string, string>;
}

/** What is wrong with the runbooks of these rules: each alert's runbook_url is docs/runbooks/<alert>.md, present under root. */
export function runbookProblems(alertsYaml: string, root = ROOT): string[] {
  const { groups } = parse(alertsYaml) as { groups: { rules: AlertRule[] }[] };
  const problems: string[] = [];
  for (const rule of groups.flatMap((g) => g.rules).filter((r) => r.alert)) {
    const expected = `docs/runbooks/${rule.alert}.md`;
    const url = rule.annotations?.runbook_url;
    if (url !== expected) problems.push(`${rule.alert}: runbook_url is ${url ?? 'missing'}, expected ${expected}`);
    else if (!existsSync(join(root, url))) problems.push(`${rule.alert}: ${url} does not exist`);
  }
  return problems;
}

function main(): void {
  const alerts = readFileSync(ALERTS, 'utf8');
  const expected = prometheusRule(alerts);
  if (process.argv.includes('--check')) {
    const problems = runbookProblems(alerts);
    for (const p of problems) console.error(`prometheus-rule: ${p}`);
    if (problems.length) process.exit(1);
    let current = '';
    try {
      current = readFileSync(RULE, 'utf8');
    } catch {
      // missing: reported below like a stale file
    }
    if (current !== expected) {
      console.error(`prometheus-rule: ${RULE} differs from deploy/prometheus/alerts.yml; run node -r ./tools/register.js tools/prometheus-rule.ts`);
      process.exit(1);
    }
    console.log('prometheus-rule: the PrometheusRule matches deploy/prometheus/alerts.yml; every alert has its runbook');
    return;
  }
  writeFileSync(RULE, expected);
  console.log(`prometheus-rule: wrote ${RULE}`);
}

if (require.main === module) main();
