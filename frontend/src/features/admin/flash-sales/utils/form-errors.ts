import type { UserErrorLike } from '@/lib/errors';

export const flashSaleFields = [
  'productId',
  'price',
  'totalStock',
  'startsAt',
  'endsAt',
  'perUserLimit',
  'requiresVerifiedAccount',
  'admissionMode',
  'roomOpensAt',
  'lotteryWindowSeconds',
  'grantTtlSeconds',
  'admissionFactor',
] as const;
export type FlashSaleField = (typeof flashSaleFields)[number];

export interface SplitErrors {
  /** Messages per form field, from userErrors whose `field` path ends in that field's name. */
  byField: Partial<Record<FlashSaleField, string[]>>;
  /** Errors about no field of the form (e.g. `id`, or none): shown above it. */
  general: UserErrorLike[];
}

function isField(name: string | undefined): name is FlashSaleField {
  return (flashSaleFields as readonly string[]).includes(name ?? '');
}

/** Sort a save's userErrors onto the form's fields (`["input", "price"]` and `["price"]` alike). */
export function formErrors(errors: readonly UserErrorLike[]): SplitErrors {
  const byField: SplitErrors['byField'] = {};
  const general: UserErrorLike[] = [];
  for (const error of errors) {
    const name = error.field?.[error.field.length - 1];
    if (isField(name)) {
      // The API words its messages for people, with the detail an administrator needs.
      byField[name] = [...(byField[name] ?? []), error.message];
    } else {
      general.push(error);
    }
  }
  return { byField, general };
}
