import { useRef, useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Form, Input, Segmented, Timeline, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { idempotencyKey, unwrap } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { ProblemAlert, QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { NS } from './texts';
import { useFollowUps, useRefreshLead } from './api';

const CHANNELS = ['call', 'email', 'meeting', 'visit', 'chat', 'social', 'other'] as const;
type Values = { channel: (typeof CHANNELS)[number]; content: string; nextAction?: string; nextActionDueAt?: Dayjs | null };

/** The follow-up log, oldest first, and the quick add: click Add, type the note, click Save. */
export function FollowUps({ leadId, open }: { leadId: string; open: boolean }) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const fmt = useFormat();
  const crm = useCrm();
  const log = useFollowUps(leadId);
  const refresh = useRefreshLead(leadId);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<Values>();
  const key = useRef(idempotencyKey());
  const addButton = useRef<HTMLButtonElement>(null);
  const [other, setOther] = useState<unknown>(null);
  const add = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        crm.POST('/api/v1/leads/{id}/follow-ups', {
          params: { path: { id: leadId }, header: key.current },
          body: {
            channel: v.channel,
            content: v.content,
            ...(v.nextAction?.trim() ? { nextAction: v.nextAction.trim() } : {}),
            ...(v.nextActionDueAt ? { nextActionDueAt: v.nextActionDueAt.toISOString() } : {}),
          },
        }),
      ),
    onSuccess: () => refresh(),
  });

  const submit = async (values: Values) => {
    setOther(null);
    try {
      await add.mutateAsync(values);
      void message.success(t('followUps.added'));
      form.resetFields();
      setAdding(false);
      setTimeout(() => addButton.current?.focus());
    } catch (error) {
      const { fields } = formFieldsOf(error, ['channel', 'content', 'nextAction', 'nextActionDueAt']);
      form.setFields(fields as never);
      if (!fields.length) setOther(error);
    }
  };

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
          {t('followUps.title')}
        </Typography.Title>
      }
      extra={
        open && !adding ? (
          <Button
            ref={addButton}
            type="primary"
            data-testid="follow-up-add"
            onClick={() => {
              key.current = idempotencyKey();
              setAdding(true);
            }}
          >
            {t('followUps.add')}
          </Button>
        ) : null
      }
    >
      {!open ? <Typography.Paragraph type="secondary">{t('followUps.closed')}</Typography.Paragraph> : null}
      {adding ? (
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ channel: 'call' }} data-testid="follow-up-form" style={{ marginBottom: 16 }}>
          <Form.Item name="channel" label={t('followUps.channel')}>
            <Segmented options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
          </Form.Item>
          <Form.Item name="content" label={t('followUps.content')} rules={[{ required: true, whitespace: true, max: 4000 }]}>
            <Input.TextArea autoFocus rows={3} data-testid="follow-up-content" />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="nextAction" label={t('followUps.nextAction')} style={{ flex: '1 1 220px' }} rules={[{ max: 500 }]}>
              <Input />
            </Form.Item>
            <Form.Item name="nextActionDueAt" label={t('followUps.nextDue')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          </Flex>
          {other ? <ProblemAlert error={other} /> : null}
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" loading={add.isPending} data-testid="follow-up-save">
              {t('action.save', { ns: 'common' })}
            </Button>
            <Button onClick={() => setAdding(false)}>{t('action.cancel', { ns: 'common' })}</Button>
          </Flex>
        </Form>
      ) : null}
      <QueryState query={log} empty={(items) => !items.length} emptyText={t('followUps.empty')}>
        {(items) => (
          <Timeline
            data-testid="follow-up-log"
            items={[...items].reverse().map((f) => ({
              key: f.id,
              content: (
                <div>
                  <Typography.Text strong>{t(`channel.${f.channel}`, { defaultValue: f.channel })}</Typography.Text> ·{' '}
                  <time dateTime={f.at}>{fmt.dateTime(f.at)}</time>
                  <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>{f.content}</Typography.Paragraph>
                  {f.customerFeedback ? <Typography.Paragraph type="secondary">{f.customerFeedback}</Typography.Paragraph> : null}
                  {f.nextAction || f.nextActionDueAt ? (
                    <Typography.Text type="secondary">
                      {t('followUps.nextAction')}: {f.nextAction ?? ''} {f.nextActionDueAt ? `(${fmt.dateTime(f.nextActionDueAt)})` : ''}
                    </Typography.Text>
                  ) : null}
                </div>
              ),
            }))}
          />
        )}
      </QueryState>
    </Card>
  );
}
