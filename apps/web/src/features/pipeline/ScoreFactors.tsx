import { Flex, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/useFormat';
import type { Detail } from './api';
import { NS } from './texts';

/** The score and what each factor adds to it: a bar per factor (its contribution out of its weight), + or −. */
export function ScoreFactors({ opportunity }: { opportunity: Detail }) {
  const { t, i18n } = useTranslation(NS);
  const format = useFormat();
  const factors = opportunity.scoreFactors;
  if (!factors.length) return <Typography.Text type="secondary">{t('opp.noScore')}</Typography.Text>;
  const label = (factor: string) => (i18n.exists(`opp.factor.${factor}`, { ns: NS }) ? t(`opp.factor.${factor}`) : factor);
  return (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">{t('opp.scoreHelp')}</Typography.Text>
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="score-factors">
        {factors.map((f) => {
          const sign = f.contribution < 0 ? '−' : '+';
          const share = f.weight ? Math.min(100, (Math.abs(f.contribution) / f.weight) * 100) : 0;
          return (
            <li key={f.factor} data-factor={f.factor} data-contribution={f.contribution} style={{ marginBottom: 8 }}>
              <Flex justify="space-between" gap={8}>
                <Typography.Text strong>{label(f.factor)}</Typography.Text>
                <Typography.Text strong style={{ color: f.contribution < 0 ? '#a8071a' : '#135200' }} data-testid="factor-contribution">
                  {sign}
                  {format.number(Math.abs(f.contribution), 2)}
                  <Typography.Text type="secondary"> / {format.number(f.weight, 2)}</Typography.Text>
                </Typography.Text>
              </Flex>
              <Progress
                percent={share}
                showInfo={false}
                strokeColor={f.contribution < 0 ? '#cf1322' : '#389e0d'}
                aria-label={`${label(f.factor)} ${sign}${format.number(Math.abs(f.contribution), 2)}`}
              />
              <Typography.Text type="secondary">{f.explanation}</Typography.Text>
            </li>
          );
        })}
      </ul>
    </Flex>
  );
}
