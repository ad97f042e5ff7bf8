import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderStatus } from '@crm/contracts';
import { FEEDBACK_CATEGORIES } from '../../feedback/feedback.domain';
import { nullableId, nullableText, nullableTime } from '@crm/http';

export class OrderCustomerView {
  @ApiProperty({ example: '李伟' }) name: string;
  @ApiPropertyOptional({ example: '北京艾克美贸易有限公司' }) company?: string;
  @ApiPropertyOptional({ example: 'li.wei@acme.example' }) email?: string;
  @ApiPropertyOptional({ example: '+86 138 0013 8000' }) phone?: string;
}

export class OrderAddressView {
  @ApiProperty({ example: '建国路 88 号' }) line1: string;
  @ApiPropertyOptional() line2?: string;
  @ApiProperty({ example: '北京' }) city: string;
  @ApiPropertyOptional({ example: '朝阳区' }) region?: string;
  @ApiPropertyOptional({ example: '100022' }) postalCode?: string;
  @ApiProperty({ example: 'CN' }) country: string;
}

/** The ERP's refusal that holds an order: the step it refused, its HTTP status and reason. */
export class ErpRefusalView {
  @ApiProperty({ enum: ['inventory', 'finance'] }) step: string;
  @ApiProperty({ type: 'integer', example: 422 }) erpStatus: number;
  @ApiProperty({ example: 'customer credit limit exceeded' }) reason: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** An order, as lists answer it. */
export class OrderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: OrderStatus.options }) status: string;
  @ApiProperty({ ...nullableId, description: 'the opportunity it was won from' }) opportunityId: string | null;
  @ApiProperty({ format: 'uuid', description: 'owner rep' }) repId: string;
  @ApiProperty(nullableText('east')) team: string | null;
  @ApiProperty({ type: OrderCustomerView }) customer: OrderCustomerView;
  @ApiProperty(nullableId) accountId: string | null;
  @ApiProperty(nullableId) contactId: string | null;
  @ApiProperty({ type: OrderAddressView, nullable: true }) billingAddress: OrderAddressView | null;
  @ApiProperty({ type: OrderAddressView, nullable: true }) shippingAddress: OrderAddressView | null;
  @ApiProperty(nullableText('east')) region: string | null;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: '7986.00', description: 'decimal string' }) total: string;
  @ApiProperty({ example: 'NET30' }) paymentTerms: string;
  @ApiProperty({ ...nullableText('2026-07-15'), description: 'a business-calendar date' }) promisedDeliveryDate: string | null;
  @ApiProperty({ description: 'confirmed without a manager (under ORDERS_AUTO_CONFIRM_LIMITS)' }) autoConfirmed: boolean;
  @ApiProperty({ enum: ['unpaid', 'partially_paid', 'paid'] }) paymentStatus: string;
  @ApiProperty({ ...nullableText('3986.00'), description: 'decimal string, once invoiced' }) outstanding: string | null;
  @ApiProperty(nullableText()) holdReason: string | null;
  @ApiProperty({ type: String, enum: ['stock_shortage', 'erp_refused'], nullable: true }) holdKind: string | null;
  @ApiProperty({ type: ErpRefusalView, nullable: true }) erpRefusal: ErpRefusalView | null;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, maximum: 100 }) productionPercent: number | null;
  @ApiProperty(nullableText('SF Express')) carrier: string | null;
  @ApiProperty(nullableText('SF1234567890')) trackingNumber: string | null;
  @ApiProperty(nullableText()) cancelReason: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to act on this version' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class OrderLineView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ type: 'integer' }) position: number;
  @ApiProperty({ example: 'PUMP-200' }) sku: string;
  @ApiProperty({ example: '离心泵 200 W' }) productName: string;
  @ApiProperty({ type: 'integer', example: 40 }) quantity: number;
  @ApiProperty({ example: '199.90' }) unitPrice: string;
  @ApiProperty({ example: '10.00' }) discount: string;
  @ApiProperty({ example: '7986.00' }) lineTotal: string;
}

export class OrderStatusChangeView {
  @ApiProperty({ example: '12' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ type: String, enum: OrderStatus.options, nullable: true }) fromStatus: string | null;
  @ApiProperty({ enum: OrderStatus.options }) toStatus: string;
  @ApiProperty() by: string;
  @ApiProperty(nullableText()) note: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class OrderTrackingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ enum: ['production', 'shipment', 'logistics', 'delivered', 'quality_problem'] }) kind: string;
  @ApiProperty({ type: 'integer', nullable: true }) percent: number | null;
  @ApiProperty(nullableText()) carrier: string | null;
  @ApiProperty(nullableText()) trackingNumber: string | null;
  @ApiProperty(nullableText('上海浦东仓')) location: string | null;
  @ApiProperty(nullableText()) note: string | null;
  @ApiProperty() by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** One edit of a draft (PATCH): which parts it changed, the version it made, who and why. */
export class OrderEditView {
  @ApiProperty({ example: '7' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ type: 'integer', description: 'the version (ETag) the edit made' }) version: number;
  @ApiProperty({ enum: ['lines', 'currency', 'paymentTerms', 'billingAddress', 'shippingAddress', 'promisedDeliveryDate'], isArray: true }) changed: string[];
  @ApiProperty(nullableText('客户要求改为 5 台')) note: string | null;
  @ApiProperty({ description: 'who edited (user id)' }) by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** An order with its lines; reading one by id adds its status history, tracking reports and draft edits. */
export class OrderDetailView extends OrderView {
  @ApiProperty({ type: [OrderLineView] }) lines: OrderLineView[];
  @ApiPropertyOptional({ type: [OrderStatusChangeView], description: 'oldest first (GET of one order)' }) history?: OrderStatusChangeView[];
  @ApiPropertyOptional({ type: [OrderTrackingView], description: 'oldest first (GET of one order)' }) tracking?: OrderTrackingView[];
  @ApiPropertyOptional({ type: [OrderEditView], description: 'edits made while it was a draft, oldest first (GET of one order)' }) edits?: OrderEditView[];
}

export class FeedbackRequestView {
  @ApiProperty({ enum: ['open', 'answered'] }) status: string;
  @ApiProperty({ format: 'date-time' }) openedAt: string;
  @ApiProperty(nullableTime) answeredAt: string | null;
}

export class FeedbackRecordView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 }) rating: number;
  @ApiProperty({ enum: FEEDBACK_CATEGORIES }) category: string;
  @ApiProperty(nullableText('交货及时，包装完好')) comment: string | null;
  @ApiProperty() complaint: boolean;
  @ApiProperty() by: string;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
}

/** An order's after-sales request and the customer's feedback, once each at most. */
export class OrderFeedbackView {
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ type: FeedbackRequestView, nullable: true, description: 'opened when the order completes' }) request: FeedbackRequestView | null;
  @ApiProperty({ type: FeedbackRecordView, nullable: true }) feedback: FeedbackRecordView | null;
}
