import { useTranslation } from 'react-i18next';
import type { Stage, UnmetCriterion } from './board';
import { NS } from './texts';

/** A field's or task's name as the user reads it: the known ones translated, a custom one as it is spelled. */
export function useCriterionLabel() {
  const { t, i18n } = useTranslation(NS);
  return (name: string) => (i18n.exists(`fields.${name}`, { ns: NS }) ? t(`fields.${name}`) : name);
}

/** Each unmet exit criterion on its own line: which stage asks for it, and what to do. */
export function UnmetCriteriaList({ criteria, stages }: { criteria: UnmetCriterion[]; stages: readonly Stage[] }) {
  const { t } = useTranslation(NS);
  const label = useCriterionLabel();
  const stageName = (key: string) => stages.find((s) => s.key === key)?.name ?? key;
  return (
    <ul data-testid="unmet-criteria" style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
      {criteria.map((c) => (
        <li key={`${c.stage}:${c.kind}:${c.name}`} data-criterion={c.name}>
          {t(c.kind === 'task' ? 'criteria.task' : 'criteria.field', { stage: stageName(c.stage), label: label(c.name) })}
        </li>
      ))}
    </ul>
  );
}
