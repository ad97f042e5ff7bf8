import { useEffect, useState } from 'react';
import { Alert, Button, Card, Flex, Form, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { listDevIdentities, type DevIdentity } from './dev-sign-in';
import type { Role } from './roles';
import { useSession } from './session';

function DevSignIn() {
  const { t } = useTranslation();
  const { signInAs } = useSession();
  const [people, setPeople] = useState<DevIdentity[] | null>(null);
  const [roles, setRoles] = useState<Role[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ userId: string; role: Role }>();

  useEffect(() => {
    listDevIdentities()
      .then((found) => {
        setPeople(found.items);
        setRoles(found.roles);
      })
      .catch((e: unknown) => setError((e as Error).message));
  }, []);

  const submit = async ({ userId, role }: { userId: string; role: Role }) => {
    setBusy(true);
    try {
      await signInAs(userId, role);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
      <Typography.Paragraph type="secondary">{t('signIn.devHint')}</Typography.Paragraph>
      {people?.length === 0 && <Alert type="info" title={t('signIn.noPeople')} style={{ marginBottom: 16 }} />}
      <Form.Item name="userId" label={t('signIn.person')} rules={[{ required: true }]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          loading={!people && !error}
          data-testid="sign-in-person"
          onChange={(id: string) => {
            const person = people?.find((p) => p.id === id);
            if (person) form.setFieldValue('role', person.suggestedRole);
          }}
          options={people?.map((p) => ({ value: p.id, label: `${p.name}${p.team ? ` · ${p.team}` : ''} (${t(`roles.${p.suggestedRole}`)})` }))}
        />
      </Form.Item>
      <Form.Item name="role" label={t('signIn.role')} rules={[{ required: true }]}>
        <Select data-testid="sign-in-role" options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
      </Form.Item>
      {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" block loading={busy}>
        {t('signIn.submit')}
      </Button>
    </Form>
  );
}

/** The first screen: the development sign-in locally, the identity provider's button elsewhere. */
export function SignInPage() {
  const { t } = useTranslation();
  const { status, config, message, signInWithProvider } = useSession();
  return (
    <Flex justify="center" align="center" style={{ minHeight: '100%', background: '#f5f7fa' }}>
      <main id="main" style={{ width: 'min(420px, 92vw)' }}>
        <Card>
          <Flex vertical gap={16}>
            <Flex align="center" gap={8}>
              <img src="/favicon.svg" alt="" width={28} height={28} />
              <Typography.Title level={1} style={{ margin: 0, fontSize: 22 }}>
                {t('app.name')} · {t('signIn.title')}
              </Typography.Title>
            </Flex>
            {message && <Alert type={status === 'failed' ? 'error' : 'warning'} role="alert" title={message} />}
            {config?.signIn === 'dev' && <DevSignIn />}
            {config?.signIn === 'oidc' && (
              <Button type="primary" size="large" block onClick={() => void signInWithProvider()}>
                {t('signIn.sso')}
              </Button>
            )}
          </Flex>
        </Card>
      </main>
    </Flex>
  );
}
