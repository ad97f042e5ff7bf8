import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Form, Input, InputNumber, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { idempotencyKey, unwrap } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { ProblemAlert, QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { pipelineKeys } from './api';
import { NS } from './texts';

interface StrategyForm {
  rationale: string;
  pricing?: string;
  discountPercent?: number | null;
  products?: string;
  promotions?: string;
}

const listOf = (text: string | undefined) =>
  (text ?? '')
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);

const FIELDS = ['rationale', 'pricing', 'discountPercent', 'products', 'promotions'];

/** The strategy records, first to latest; a new one adjusts the latest. */
export function StrategiesPanel({ opportunityId, open }: { opportunityId: string; open: boolean }) {
  const { t } = useTranslation(NS);
  const crm = useCrm();
  const format = useFormat();
  const queries = useQueryClient();
  const [form] = Form.useForm<StrategyForm>();
  const strategies = useQuery({
    queryKey: pipelineKeys.strategies(opportunityId),
    queryFn: () => unwrap(crm.GET('/api/v1/opportunities/{id}/strategies', { params: { path: { id: opportunityId } } })),
  });
  const add = useMutation({
    mutationFn: (v: StrategyForm) =>
      unwrap(
        crm.POST('/api/v1/opportunities/{id}/strategies', {
          params: { path: { id: opportunityId }, header: idempotencyKey() },
          body: {
            rationale: v.rationale.trim(),
            replacesId: strategies.data?.items.at(-1)?.id,
            pricing: v.pricing?.trim() || undefined,
            discountPercent: v.discountPercent ?? undefined,
            products: listOf(v.products),
            promotions: listOf(v.promotions),
          },
        }),
      ),
    onSuccess: () => {
      form.resetFields();
      void queries.invalidateQueries({ queryKey: pipelineKeys.strategies(opportunityId) });
    },
    onError: (error) => form.setFields(formFieldsOf(error, FIELDS).fields as never),
  });
  return (
    <Flex vertical gap={8}>
      <QueryState query={strategies} empty={(d) => !d.items.length} emptyText={t('opp.noStrategies')}>
        {(data) => (
          <Timeline
            data-testid="strategies"
            items={data.items.map((s) => ({
              key: s.id,
              content: (
                <>
                  <Typography.Text type="secondary">{format.dateTime(s.at)}</Typography.Text>
                  <div>{s.rationale}</div>
                  {s.pricing ? <div>{`${t('opp.pricing')}: ${s.pricing}`}</div> : null}
                  {s.discountPercent !== null ? <div>{`${t('opp.discountPercent')}: ${format.number(s.discountPercent, 2)}`}</div> : null}
                  {[...s.products, ...s.promotions].map((p) => (
                    <Tag key={p}>{p}</Tag>
                  ))}
                </>
              ),
            }))}
          />
        )}
      </QueryState>
      {open ? (
        <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)} requiredMark={false}>
          <Form.Item name="rationale" label={t('opp.rationale')} rules={[{ required: true, whitespace: true }]} style={{ marginBottom: 8 }}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Flex gap={8} wrap>
            <Form.Item name="pricing" label={t('opp.pricing')} style={{ flex: '1 1 160px', marginBottom: 8 }}>
              <Input />
            </Form.Item>
            <Form.Item name="discountPercent" label={t('opp.discountPercent')} style={{ flex: '0 1 120px', marginBottom: 8 }}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="products" label={t('opp.products')} extra={t('opp.commaHint')} style={{ flex: '1 1 160px', marginBottom: 8 }}>
              <Input />
            </Form.Item>
            <Form.Item name="promotions" label={t('opp.promotions')} style={{ flex: '1 1 160px', marginBottom: 8 }}>
              <Input />
            </Form.Item>
          </Flex>
          <Button htmlType="submit" loading={add.isPending}>
            {t('opp.addStrategy')}
          </Button>
          {add.isError && !formFieldsOf(add.error, FIELDS).fields.length ? <ProblemAlert error={add.error} /> : null}
        </Form>
      ) : null}
    </Flex>
  );
}
