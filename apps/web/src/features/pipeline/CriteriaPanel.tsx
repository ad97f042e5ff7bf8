import { CheckCircleTwoTone, ExclamationCircleTwoTone } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, Input, InputNumber, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiProblem, ifMatch, unwrap, type components } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { formFieldsOf, problemText } from '../../api/problem';
import { ProblemAlert } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { useKeepDetail, type Detail } from './api';
import { openStages, unmetCriteriaOf, unmetOf, type Stage } from './board';
import { UnmetCriteriaList, useCriterionLabel } from './UnmetCriteria';
import { NS } from './texts';

type LineDto = components['schemas']['LineDto'];
const BUILT_IN = new Set(['lines', 'expectedAmount', 'expectedCloseDate', 'productLine', 'companySize', 'region']);
const LINE_FIELDS = ['sku', 'productName', 'quantity', 'unitPrice', 'discount'];

/** Line field errors of the new (last) line onto the line form: `lines[2].quantity` → `quantity`. */
function lineErrors(error: unknown, index: number) {
  if (!(error instanceof ApiProblem)) return [];
  return error.errors.flatMap((e) => {
    const m = /^lines\[(\d+)\]\.(\w+)$/.exec(e.field);
    return m && Number(m[1]) === index && LINE_FIELDS.includes(m[2]!) ? [{ name: m[2]!, errors: [e.message] }] : [];
  });
}

/** The current stage's exit criteria, met or not, with what fills them: custom fields, product lines, next stage. */
export function CriteriaPanel({ opportunity, stages }: { opportunity: Detail; stages: Stage[] }) {
  const { t } = useTranslation(NS);
  const crm = useCrm();
  const format = useFormat();
  const keep = useKeepDetail();
  const label = useCriterionLabel();
  const [fieldsForm] = Form.useForm<{ fields: Record<string, string> }>();
  const [lineForm] = Form.useForm<LineDto>();
  const open = openStages(stages);
  const stage = open.find((s) => s.key === opportunity.stage);
  const next = stage ? open.find((s) => s.position > stage.position) : undefined;
  const required = stage?.exitCriteria.requiredFields ?? [];
  const custom = required.filter((f) => !BUILT_IN.has(f));
  const unmet = unmetOf(stage, { ...opportunity, fields: opportunity.fields, lines: opportunity.lines, tasks: opportunity.tasks });
  const isUnmet = (kind: 'field' | 'task', name: string) => unmet.some((u) => u.kind === kind && u.name === name);

  const patch = (body: components['schemas']['UpdateOpportunityDto']) =>
    unwrap(crm.PATCH('/api/v1/opportunities/{id}', { params: { path: { id: opportunity.id }, header: ifMatch(opportunity.etag) }, body }));
  const saveFields = useMutation({
    mutationFn: (v: { fields: Record<string, string> }) =>
      patch({ fields: Object.fromEntries(Object.entries(v.fields ?? {}).map(([k, x]) => [k, x?.trim() || null])) as Record<string, string> }),
    onSuccess: keep,
    onError: (error) => fieldsForm.setFields(formFieldsOf(error, ['fields']).fields as never),
  });
  const existing: LineDto[] = opportunity.lines.map((l) => ({
    sku: l.sku,
    productName: l.productName,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discount: l.discount,
  }));
  const addLine = useMutation({
    mutationFn: (line: LineDto) => patch({ lines: [...existing, { ...line, quantity: Number(line.quantity), discount: line.discount || '0' }] }),
    onSuccess: (data) => {
      keep(data);
      lineForm.resetFields();
    },
    onError: (error) => lineForm.setFields(lineErrors(error, existing.length) as never),
  });
  const moveNext = useMutation({
    mutationFn: (toStage: string) =>
      unwrap(crm.POST('/api/v1/opportunities/{id}/stage', { params: { path: { id: opportunity.id }, header: ifMatch(opportunity.etag) }, body: { toStage } })),
    onSuccess: keep,
  });
  const refusedCriteria = moveNext.isError ? unmetCriteriaOf(moveNext.error) : [];

  if (opportunity.status !== 'open' || !stage) return null;
  const criteria = [
    ...required.map((name) => ({ kind: 'field' as const, name })),
    ...(stage.exitCriteria.requiredTasks ?? []).map((name) => ({ kind: 'task' as const, name })),
  ];
  return (
    <Flex vertical gap={12}>
      {criteria.length ? (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="exit-criteria">
          {criteria.map((c) => (
            <li key={`${c.kind}:${c.name}`} data-criterion={c.name} data-kind={c.kind} data-met={isUnmet(c.kind, c.name) ? 'false' : 'true'}>
              {isUnmet(c.kind, c.name) ? <ExclamationCircleTwoTone twoToneColor="#d46b08" /> : <CheckCircleTwoTone twoToneColor="#389e0d" />}{' '}
              {t(c.kind === 'task' ? 'criteria.task' : 'criteria.field', { stage: stage.name, label: label(c.name) })} (
              {isUnmet(c.kind, c.name) ? t('criteria.unmet') : t('criteria.met')})
            </li>
          ))}
        </ul>
      ) : (
        <Typography.Text type="secondary">{t('criteria.none')}</Typography.Text>
      )}
      {custom.length ? (
        <Form form={fieldsForm} layout="vertical" initialValues={{ fields: opportunity.fields }} onFinish={(v) => saveFields.mutate(v)}>
          <Typography.Title level={3} style={{ fontSize: 14 }}>
            {t('opp.required')}
          </Typography.Title>
          {custom.map((name) => (
            <Form.Item key={name} name={['fields', name]} label={label(name)} style={{ marginBottom: 8 }}>
              <Input data-testid={`field-${name}`} />
            </Form.Item>
          ))}
          <Button htmlType="submit" loading={saveFields.isPending}>
            {t('opp.saveFields')}
          </Button>
          {saveFields.isError && !formFieldsOf(saveFields.error, ['fields']).fields.length ? <ProblemAlert error={saveFields.error} /> : null}
        </Form>
      ) : null}
      <Typography.Title level={3} style={{ fontSize: 14, margin: 0 }}>
        {t('opp.lines')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={opportunity.lines}
        locale={{ emptyText: t('opp.noLines') }}
        data-testid="lines"
        scroll={{ x: true }}
        columns={[
          { title: t('opp.sku'), dataIndex: 'sku' },
          { title: t('opp.productName'), dataIndex: 'productName' },
          { title: t('opp.quantity'), dataIndex: 'quantity', align: 'right' },
          { title: t('opp.unitPrice'), dataIndex: 'unitPrice', align: 'right', render: (v: string) => format.money(v, opportunity.currency) },
          { title: t('opp.lineTotal'), dataIndex: 'lineTotal', align: 'right', render: (v: string) => format.money(v, opportunity.currency) },
        ]}
      />
      <Form form={lineForm} layout="vertical" onFinish={(v) => addLine.mutate(v)} requiredMark={false}>
        <Flex gap={8} wrap align="end">
          <Form.Item name="sku" label={t('opp.sku')} rules={[{ required: true, whitespace: true }]} style={{ flex: '1 1 110px', marginBottom: 8 }}>
            <Input data-testid="line-sku" />
          </Form.Item>
          <Form.Item
            name="productName"
            label={t('opp.productName')}
            rules={[{ required: true, whitespace: true }]}
            style={{ flex: '2 1 160px', marginBottom: 8 }}
          >
            <Input data-testid="line-product" />
          </Form.Item>
          <Form.Item name="quantity" label={t('opp.quantity')} rules={[{ required: true }]} style={{ flex: '0 1 100px', marginBottom: 8 }}>
            <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="line-quantity" />
          </Form.Item>
          <Form.Item
            name="unitPrice"
            label={t('opp.unitPrice')}
            rules={[{ required: true, pattern: /^\d+(\.\d{1,4})?$/ }]}
            style={{ flex: '0 1 120px', marginBottom: 8 }}
          >
            <Input inputMode="decimal" data-testid="line-price" />
          </Form.Item>
          <Form.Item style={{ marginBottom: 8 }}>
            <Button htmlType="submit" loading={addLine.isPending}>
              {t('opp.addLine')}
            </Button>
          </Form.Item>
        </Flex>
        {addLine.isError && !lineErrors(addLine.error, existing.length).length ? <ProblemAlert error={addLine.error} /> : null}
      </Form>
      {next ? (
        <div>
          <Button type="primary" onClick={() => moveNext.mutate(next.key)} loading={moveNext.isPending} data-testid="next-stage">
            {t('opp.nextStage', { stage: next.name })}
          </Button>
        </div>
      ) : null}
      {moveNext.isError ? (
        refusedCriteria.length ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('board.unmetIntro')}
            description={<UnmetCriteriaList criteria={refusedCriteria} stages={stages} />}
          />
        ) : (
          <Alert type="error" showIcon role="alert" title={problemText(moveNext.error)} />
        )
      ) : null}
    </Flex>
  );
}
