import { useEffect, useState } from 'react';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Alert, Button, Col, DatePicker, Drawer, Flex, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ifMatch, unwrap, type components, type FieldError } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { ProblemAlert } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { ORDERS_NS } from './texts';
import { useRefreshOrder, type OrderDetail } from './useOrder';

type Address = components['schemas']['AddressDto'];
interface Values {
  lines: { sku: string; productName: string; quantity: number; unitPrice: string; discount?: string }[];
  currency: string;
  paymentTerms: string;
  promisedDeliveryDate: Dayjs | null;
  billingAddress?: Partial<Address>;
  shippingAddress?: Partial<Address>;
  note?: string;
}
const FIELDS = ['lines', 'currency', 'paymentTerms', 'promisedDeliveryDate', 'billingAddress', 'shippingAddress', 'note'];

/** An address the user left blank is removed (null); a partly filled one is sent for the API to judge. */
const addressOf = (a: Partial<Address> | undefined): Address | null => (a && Object.values(a).some((v) => v) ? (a as Address) : null);

function AddressFields({ name, label }: { name: 'billingAddress' | 'shippingAddress'; label: string }) {
  const { t } = useTranslation(ORDERS_NS);
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {label}
      </Typography.Title>
      <Row gutter={8}>
        {(['line1', 'city', 'region', 'postalCode', 'country'] as const).map((part) => (
          <Col key={part} xs={24} sm={part === 'line1' ? 24 : 12}>
            <Form.Item name={[name, part]} label={t(`edit.${part}`)}>
              <Input />
            </Form.Item>
          </Col>
        ))}
      </Row>
    </fieldset>
  );
}

/** The draft's editor: every part the PATCH takes, with the API's field errors shown beside their fields. */
export function DraftEditor({ order, etag, open, onClose }: { order: OrderDetail; etag: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation(ORDERS_NS);
  const crm = useCrm();
  const fmt = useFormat();
  const refresh = useRefreshOrder(order.id);
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [other, setOther] = useState<FieldError[]>([]);
  const items = useQuery({
    queryKey: ['items', 'active'],
    queryFn: () => unwrap(crm.GET('/api/v1/items', { params: { query: { active: true, limit: 200 } } })),
    staleTime: 300_000,
    enabled: open,
  });

  useEffect(() => {
    if (!open) return;
    setOther([]);
    form.setFieldsValue({
      lines: order.lines.map((l) => ({ sku: l.sku, productName: l.productName, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount })),
      currency: order.currency,
      paymentTerms: order.paymentTerms,
      promisedDeliveryDate: order.promisedDeliveryDate ? dayjs(order.promisedDeliveryDate) : null,
      billingAddress: (order.billingAddress as Partial<Address> | null) ?? {},
      shippingAddress: (order.shippingAddress as Partial<Address> | null) ?? {},
      note: '',
    });
  }, [open, order, form]);

  const save = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        crm.PATCH('/api/v1/orders/{id}', {
          params: { path: { id: order.id }, header: ifMatch(etag) },
          body: {
            lines: v.lines.map((l) => ({ ...l, discount: l.discount || '0' })),
            currency: v.currency,
            paymentTerms: v.paymentTerms,
            promisedDeliveryDate: v.promisedDeliveryDate ? v.promisedDeliveryDate.format('YYYY-MM-DD') : null,
            billingAddress: addressOf(v.billingAddress),
            shippingAddress: addressOf(v.shippingAddress),
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          },
        }),
      ),
    onSuccess: async (updated) => {
      await refresh();
      void message.success(t('edit.saved', { total: fmt.money(updated.total, updated.currency) }));
      onClose();
    },
    onError: (error) => {
      const { fields, other: rest } = formFieldsOf(error, FIELDS);
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      setOther(rest);
    },
  });

  // The catalogue's items, and the draft's own SKUs even if the catalogue no longer lists them.
  const itemOptions = (items.data?.items ?? []).map((i) => ({ value: i.sku, label: `${i.sku} · ${i.name}`, name: i.name }));
  for (const l of order.lines)
    if (!itemOptions.some((o) => o.value === l.sku)) itemOptions.push({ value: l.sku, label: `${l.sku} · ${l.productName}`, name: l.productName });
  const required = [{ required: true, message: t('edit.required') }];

  return (
    <Drawer open={open} onClose={onClose} title={t('edit.title')} size="large" destroyOnHidden>
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="draft-form">
        {save.isError && (other.length > 0 || formFieldsOf(save.error, FIELDS).fields.length === 0) && <ProblemAlert error={save.error} />}
        <Typography.Title level={2} style={{ fontSize: 16 }}>
          {t('order.lines')}
        </Typography.Title>
        <Form.List name="lines">
          {(lines, { add, remove }) => (
            <Flex vertical gap={4}>
              {lines.map((line, i) => (
                <fieldset key={line.key} aria-label={t('edit.lineN', { n: i + 1 })} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 8 }}>
                  <Row gutter={8} align="bottom">
                    <Col xs={24} md={12}>
                      <Form.Item name={[line.name, 'sku']} label={t('edit.item')} rules={required}>
                        <Select
                          showSearch={{ optionFilterProp: 'label' }}
                          options={itemOptions}
                          onChange={(_, option) => {
                            const picked = Array.isArray(option) ? undefined : (option as { name?: string } | undefined);
                            if (picked?.name) form.setFieldValue(['lines', line.name, 'productName'], picked.name);
                          }}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item name={[line.name, 'productName']} label={t('order.product')} rules={required}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={6}>
                      <Form.Item name={[line.name, 'quantity']} label={t('order.quantity')} rules={required}>
                        <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid={`line-${i}-quantity`} />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={7}>
                      <Form.Item name={[line.name, 'unitPrice']} label={t('order.unitPrice')} rules={required}>
                        <Input inputMode="decimal" />
                      </Form.Item>
                    </Col>
                    <Col xs={8} md={7}>
                      <Form.Item name={[line.name, 'discount']} label={t('order.discount')}>
                        <Input inputMode="decimal" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={4}>
                      <Form.Item>
                        <Button
                          icon={<MinusCircleOutlined />}
                          aria-label={t('edit.removeLine', { n: i + 1 })}
                          onClick={() => remove(line.name)}
                          disabled={lines.length === 1}
                        />
                      </Form.Item>
                    </Col>
                  </Row>
                </fieldset>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ quantity: 1, discount: '0' })}>
                {t('edit.addLine')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Row gutter={8} style={{ marginTop: 16 }}>
          <Col xs={12} md={8}>
            <Form.Item name="currency" label={t('edit.currency')} rules={required}>
              <Input maxLength={3} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="paymentTerms" label={t('edit.terms')} rules={required}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="promisedDeliveryDate" label={t('edit.promised')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <AddressFields name="shippingAddress" label={t('edit.shipping')} />
        <AddressFields name="billingAddress" label={t('edit.billing')} />
        <Form.Item name="note" label={t('edit.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        {other.length > 0 && <Alert type="warning" title={other.map((e) => `${e.field}: ${e.message}`).join('; ')} />}
        <Flex gap={8} justify="flex-end">
          <Button onClick={onClose}>{t('action.cancel', { ns: 'common' })}</Button>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="draft-save">
            {t('action.save', { ns: 'common' })}
          </Button>
        </Flex>
      </Form>
    </Drawer>
  );
}
