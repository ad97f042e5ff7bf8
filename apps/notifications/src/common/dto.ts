import { ValidateIf } from 'class-validator';

/** Left out keeps the value; `null` is no value of these (IsOptional would let it through). */
export const Omittable = () => ValidateIf((_o: object, v: unknown) => v !== undefined);

/** `HH:mm` on a 24-hour clock, as quiet hours and the digest time are given. */
export const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Team and product line names: short slugs, as tokens and product catalogues carry them. */
export const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
