import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ALERTS, RULE, prometheusRule, runbookProblems } from './prometheus-rule';

describe('prometheusRule', () => {
  const alerts = readFileSync(ALERTS, 'utf8');

  it('holds exactly the groups of alerts.yml', () => {
    const rule = parse(prometheusRule(alerts));
    expect(rule).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'crm-alerts' } });
    expect(rule.spec.groups).toEqual(parse(alerts).groups);
  });

  it('follows a change of alerts.yml', () => {
    const changed = alerts.replace('for: 2m', 'for: 3m');
    expect(parse(prometheusRule(changed)).spec.groups[0].rules[0].for).toBe('3m');
  });

  it('is what the committed PrometheusRule holds (regenerate with tools/prometheus-rule.ts)', () => {
    expect(readFileSync(RULE, 'utf8')).toBe(prometheusRule(alerts));
  });

  it('requires every alert to link docs/runbooks/<alert>.md, and that file to exist', () => {
    const rules = (annotations: string) =>
      `groups:\n  - name: g\n    rules:\n      - alert: CrmServiceDown\n        expr: up == 0\n        annotations: ${annotations}\n`;
    expect(runbookProblems(rules('{ runbook_url: docs/runbooks/CrmServiceDown.md }'))).toEqual([]);
    expect(runbookProblems(rules('{ summary: x }'))).toEqual(['CrmServiceDown: runbook_url is missing, expected docs/runbooks/CrmServiceDown.md']);
    expect(runbookProblems(rules('{ runbook_url: docs/runbooks/CrmServiceDown.md }'), '/nonexistent')).toEqual([
      'CrmServiceDown: docs/runbooks/CrmServiceDown.md does not exist',
    ]);
  });

  it('finds every alert of alerts.yml with its runbook', () => {
    expect(runbookProblems(alerts)).toEqual([]);
  });
});
