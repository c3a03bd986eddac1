import { userErrorMessages, type UserErrorLike } from './errors';

export interface SortedErrors<F extends string> {
  /** Messages to show next to a form field, by field name. */
  byField: Partial<Record<F, string[]>>;
  /** Messages about no field of this form (or about the whole operation). */
  general: readonly string[];
}

/**
 * Sort a mutation's userErrors onto the form's fields: `["input", "price"]` and `["price"]` both
 * land on `price` when the form has that field; anything else is a general message. Field messages
 * are the API's own (written for people, in the page's language, and specific: "Use at most 2 decimal
 * places" / "最多两位小数").
 */
export function sortUserErrors<F extends string>(errors: readonly UserErrorLike[], fields: readonly F[]): SortedErrors<F> {
  const byField: Partial<Record<F, string[]>> = {};
  const unplaced: UserErrorLike[] = [];
  for (const error of errors) {
    const name = error.field?.[error.field.length - 1];
    const field = fields.find((candidate) => candidate === name);
    if (field === undefined) {
      unplaced.push(error);
      continue;
    }
    const messages = (byField[field] ??= []);
    if (!messages.includes(error.message)) messages.push(error.message);
  }
  return { byField, general: userErrorMessages(unplaced) };
}

export const noErrors: SortedErrors<never> = { byField: {}, general: [] };
