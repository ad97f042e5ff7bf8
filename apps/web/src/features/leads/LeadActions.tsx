import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiProblem, unwrap } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { ProblemAlert } from '../../ui/states';
import { NS } from './texts';
import { useRefreshLead, type LeadDetail } from './api';
import { compact } from './NewLeadDialog';

const REASONS = ['no_budget', 'no_need', 'no_authority', 'bad_contact_data', 'competitor', 'spam', 'other', 'wrong_territory', 'wrong_product_line'] as const;
/** What the API allows from each status (lead.domain's table), so a refused action is not offered. */
export const ALLOWED = {
  qualify: ['assigned', 'contacted'],
  disqualify: ['new', 'unassigned', 'assigned', 'contacted', 'qualified'],
  convert: ['qualified'],
} as const;
export const allows = (action: keyof typeof ALLOWED, status: string) => (ALLOWED[action] as readonly string[]).includes(status);

type Action = 'qualify' | 'disqualify' | 'convert';
const FIELDS: Record<Action, string[]> = { qualify: ['note'], disqualify: ['reason', 'note'], convert: ['expectedAmount', 'currency', 'expectedCloseDate'] };

/** Qualify, disqualify and convert, each in a small dialog, sent with the ETag of the lead as read. */
export function LeadActions({ lead, etag }: { lead: LeadDetail; etag: string }) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const crm = useCrm();
  const refresh = useRefreshLead(lead.id);
  const queries = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [form] = Form.useForm();
  const [other, setOther] = useState<unknown>(null);
  const act = useMutation({
    mutationFn: ({ kind, body, version }: { kind: Action; body: Record<string, unknown>; version: string }) => {
      const params = { path: { id: lead.id }, header: { 'If-Match': version } };
      if (kind === 'qualify') return unwrap(crm.POST('/api/v1/leads/{id}/qualify', { params, body }));
      if (kind === 'disqualify') return unwrap(crm.POST('/api/v1/leads/{id}/disqualify', { params, body: body as { reason: (typeof REASONS)[number] } }));
      return unwrap(crm.POST('/api/v1/leads/{id}/convert', { params, body }));
    },
    onSettled: () => refresh(),
  });

  const submit = async (values: Record<string, unknown>) => {
    if (!action) return;
    setOther(null);
    try {
      await act.mutateAsync({ kind: action, body: compact(values), version: etag }).catch(async (error: unknown) => {
        if (!(error instanceof ApiProblem && error.status === 412)) throw error;
        // The lead changed since it was read, often by the service itself (the customer link arrives a moment
        // after capture): read it again and, if the step is still allowed, send it once more on the new version.
        await refresh();
        const fresh = queries.getQueryData<{ lead: LeadDetail; etag: string }>(['leads', 'one', lead.id]);
        if (!fresh || !allows(action, fresh.lead.status)) throw error;
        await act.mutateAsync({ kind: action, body: compact(values), version: fresh.etag });
      });
      setAction(null);
      // After a conversion the page offers the opportunity itself (ConvertedNotice) once it exists.
      if (action !== 'convert') void message.success(t(`actions.${action}d` as 'actions.qualified'));
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 412) {
        setOther(null);
        setAction(null);
        void message.warning(t('actions.stale'));
        return;
      }
      const { fields } = formFieldsOf(error, FIELDS[action]);
      form.setFields(fields as never);
      if (!fields.length) setOther(error);
    }
  };
  const start = (kind: Action) => {
    form.resetFields();
    setOther(null);
    setAction(kind);
  };

  return (
    <Space wrap>
      {allows('qualify', lead.status) ? (
        <Button type="primary" onClick={() => start('qualify')} data-testid="lead-qualify">
          {t('actions.qualify')}
        </Button>
      ) : null}
      {allows('convert', lead.status) ? (
        <Button type="primary" onClick={() => start('convert')} data-testid="lead-convert">
          {t('actions.convert')}
        </Button>
      ) : null}
      {allows('disqualify', lead.status) ? (
        <Button onClick={() => start('disqualify')} data-testid="lead-disqualify">
          {t('actions.disqualify')}
        </Button>
      ) : null}
      <Modal
        open={action !== null}
        title={action ? t(`actions.${action}`) : ''}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        okText={t('action.confirm', { ns: 'common' })}
        okButtonProps={{ 'data-testid': 'lead-action-ok' }}
        confirmLoading={act.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          {action === 'qualify' ? (
            <Form.Item name="note" label={t('actions.qualifyNote')} rules={[{ max: 2000 }]}>
              <Input.TextArea rows={2} autoFocus />
            </Form.Item>
          ) : null}
          {action === 'disqualify' ? (
            <>
              <Form.Item name="reason" label={t('actions.reason')} rules={[{ required: true }]}>
                <Select options={REASONS.map((r) => ({ value: r, label: t(`reason.${r}`) }))} />
              </Form.Item>
              <Form.Item name="note" label={t('actions.note')} rules={[{ max: 400 }]}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </>
          ) : null}
          {action === 'convert' ? (
            <>
              <Space wrap>
                <Form.Item name="expectedAmount" label={t('actions.amount')} rules={[{ pattern: /^\d+(\.\d{1,2})?$/ }]}>
                  <Input inputMode="decimal" placeholder="12000.00" />
                </Form.Item>
                <Form.Item name="currency" label={t('actions.currency')}>
                  <Select allowClear style={{ width: 110 }} options={['CNY', 'USD', 'EUR'].map((c) => ({ value: c, label: c }))} />
                </Form.Item>
              </Space>
              <Form.Item name="expectedCloseDate" label={t('actions.closeDate')}>
                <Input type="date" />
              </Form.Item>
            </>
          ) : null}
          {other ? <ProblemAlert error={other} /> : null}
        </Form>
      </Modal>
    </Space>
  );
}
