import { useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Space, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiProblem, exportPersonalData, unwrap, type PersonalDataExport, type PersonalDataSubject } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { formFieldsOf, problemText } from '../../api/problem';
import { useUser } from '../../auth/session';
import { ProblemAlert } from '../../ui/states';
import { exportFileName } from './history';
import { PRIVACY_NS } from './texts';

type Values = { reason: string; confirmed: boolean };

/** Hands the file to the browser as a download; the object URL is let go once the download has started. */
function download(file: PersonalDataExport, name: string): void {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * An admin's "Export personal data" (one JSON file with every service's part) and "Erase personal data" (a reason
 * and an explicit confirmation) for one person; nothing for anyone else, whom the API would refuse.
 */
export function PersonalDataActions({
  subject,
  name,
  erased,
  onErased,
  size,
}: {
  subject: PersonalDataSubject;
  name: string;
  erased: boolean;
  onErased: () => unknown;
  size?: 'small';
}) {
  const { t } = useTranslation(PRIVACY_NS);
  const { message } = App.useApp();
  const crm = useCrm();
  const user = useUser();
  const [erasing, setErasing] = useState(false);
  const [form] = Form.useForm<Values>();
  const [other, setOther] = useState<unknown>(null);
  const testId = 'leadId' in subject ? 'lead' : 'contact';

  const exporting = useMutation({
    mutationFn: () => exportPersonalData(crm, subject),
    onSuccess: (file) => {
      download(file, exportFileName(subject));
      const records = Object.values(file.parts).reduce((n, part) => n + Object.values(part.records).reduce((m, rows) => m + rows.length, 0), 0);
      void message.success(t('export.done', { records, services: Object.keys(file.parts).length }));
    },
    onError: (error) => void message.error(`${t('export.failed')}: ${problemText(error)}`),
  });
  const erase = useMutation({
    mutationFn: async (reason: string) => {
      if ('leadId' in subject) await unwrap(crm.POST('/api/v1/leads/{id}/erasure', { params: { path: { id: subject.leadId } }, body: { reason } }));
      else await unwrap(crm.POST('/api/v1/contacts/{id}/erasure', { params: { path: { id: subject.contactId } }, body: { reason } }));
    },
  });

  if (!user.roles.includes('admin')) return null;

  const submit = async (values: Values) => {
    setOther(null);
    try {
      await erase.mutateAsync(values.reason.trim());
      setErasing(false);
      void message.success(t('erase.done'));
      await onErased();
    } catch (error) {
      const { fields } = formFieldsOf(error, ['reason']);
      form.setFields(fields as never);
      if (!fields.length) setOther(error);
    }
  };
  const start = () => {
    form.resetFields();
    setOther(null);
    setErasing(true);
  };

  return (
    <Space wrap size={size === 'small' ? 4 : 8}>
      <Button size={size} onClick={() => exporting.mutate()} loading={exporting.isPending} data-testid={`${testId}-export-personal-data`}>
        {t('export.button')}
      </Button>
      {erased ? null : (
        <Button size={size} danger onClick={start} data-testid={`${testId}-erase-personal-data`}>
          {t('erase.button')}
        </Button>
      )}
      <Modal
        open={erasing}
        title={t('erase.title', { name })}
        onCancel={() => setErasing(false)}
        onOk={() => form.submit()}
        okText={t('erase.ok')}
        okButtonProps={{ danger: true, 'data-testid': 'erase-ok' }}
        cancelText={t('action.cancel', { ns: 'common' })}
        confirmLoading={erase.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} data-testid="erase-form">
          <Typography.Paragraph>{t('erase.warning')}</Typography.Paragraph>
          <Form.Item name="reason" label={t('erase.reason')} rules={[{ required: true, whitespace: true, message: t('erase.reasonRequired') }, { max: 500 }]}>
            <Input.TextArea rows={3} placeholder={t('erase.reasonPlaceholder')} data-testid="erase-reason" autoFocus />
          </Form.Item>
          <Form.Item
            name="confirmed"
            valuePropName="checked"
            rules={[{ validator: (_, checked) => (checked ? Promise.resolve() : Promise.reject(new Error(t('erase.confirmRequired')))) }]}
          >
            <Checkbox data-testid="erase-confirm">{t('erase.confirm')}</Checkbox>
          </Form.Item>
          {other instanceof ApiProblem && other.code === 'LEAD_IS_CONTACT' ? (
            <Alert type="warning" showIcon role="alert" data-testid="erase-problem" title={t('erase.isContact')} description={other.detail} />
          ) : other ? (
            <div data-testid="erase-problem">
              <ProblemAlert error={other} />
            </div>
          ) : null}
        </Form>
      </Modal>
    </Space>
  );
}
