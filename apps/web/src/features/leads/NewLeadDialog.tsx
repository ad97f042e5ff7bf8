import { useRef, useState } from 'react';
import { App, Button, Form, Input, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { idempotencyKey, unwrap, type components } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { ProblemAlert } from '../../ui/states';
import { NS } from './texts';
import { SOURCES } from './query';

type NewLead = components['schemas']['CreateLeadDto'];
const FIELDS = ['name', 'email', 'phone', 'company', 'companySize', 'region', 'productInterest', 'campaign', 'needs', 'source'] as const;
const SIZES = ['micro', 'small', 'medium', 'large', 'enterprise'];

/** Drops empty strings: the API reads an absent field as "not given", an empty one as invalid. */
export function compact<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null && String(v).trim() !== '')) as T;
}

/** The new-lead form; the API's field errors are shown beside their fields. */
export function NewLeadDialog() {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const crm = useCrm();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<NewLead>();
  // One key per form opened: a retry of the same submission is not a second lead.
  const key = useRef(idempotencyKey());
  const create = useMutation({
    mutationFn: (body: NewLead) => unwrap(crm.POST('/api/v1/leads', { params: { header: key.current }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['leads', 'list'] }),
  });
  const [other, setOther] = useState<unknown>(null);

  const submit = async (values: NewLead) => {
    setOther(null);
    try {
      const result = await create.mutateAsync(compact(values));
      void message.success(t(result.merged ? 'create.merged' : 'create.created'));
      setOpen(false);
      void navigate(`/leads/${result.leadId}`);
    } catch (error) {
      const { fields, other: rest } = formFieldsOf(error, [...FIELDS]);
      form.setFields(fields);
      if (!fields.length || rest.length) setOther(error);
    }
  };

  const text = (name: (typeof FIELDS)[number], extra?: object) => (
    <Form.Item name={name} label={t(`create.${name}`)} {...extra}>
      <Input />
    </Form.Item>
  );

  return (
    <>
      <Button
        type="primary"
        data-testid="lead-new"
        onClick={() => {
          key.current = idempotencyKey();
          setOther(null);
          setOpen(true);
        }}
      >
        {t('create.open')}
      </Button>
      <Modal
        open={open}
        title={t('create.title')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('action.save', { ns: 'common' })}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ source: 'phone' }} data-testid="lead-new-form">
          <Form.Item name="name" label={t('create.name')} rules={[{ required: true, whitespace: true }]}>
            <Input autoFocus />
          </Form.Item>
          {text('email')}
          {text('phone')}
          {text('company')}
          <Form.Item name="companySize" label={t('create.companySize')}>
            <Select allowClear options={SIZES.map((s) => ({ value: s, label: s }))} />
          </Form.Item>
          {text('region')}
          {text('productInterest')}
          {text('campaign')}
          <Form.Item name="needs" label={t('create.needs')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="source" label={t('create.source')} rules={[{ required: true }]}>
            <Select options={SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))} />
          </Form.Item>
          {other ? <ProblemAlert error={other} /> : null}
        </Form>
      </Modal>
    </>
  );
}
