import { Transform } from 'class-transformer';

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const WAREHOUSE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Receipts above this are typing errors, and the sum stays far from the int4 column's limit. */
export const MAX_QUANTITY = 1_000_000;

/** `?flag=true|false` → boolean; anything else is left as is for @IsBoolean to reject. */
export const BooleanQuery = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
