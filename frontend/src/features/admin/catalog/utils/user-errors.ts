import type { CombinedError } from '@urql/core';
import { normalizeError, userErrorMessages, type UserErrorLike } from '@/lib/errors';

export { noErrors, sortUserErrors, type SortedErrors } from '@/lib/user-errors';

/** What a mutation call came back with: a transport or top-level error, or its userErrors. */
export interface MutationOutcome {
  error?: CombinedError;
  userErrors: readonly UserErrorLike[];
}

/** Why a mutation changed nothing, as sentences; empty when it worked. */
export function outcomeProblems({ error, userErrors }: MutationOutcome): string[] {
  return error ? [normalizeError(error).message] : userErrorMessages(userErrors);
}
