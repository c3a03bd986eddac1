import { useCallback } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { withoutAuth } from '@/lib/auth-exchange';
import { normalizeError, describeError, userErrorMessages, type UserErrorLike } from '@/lib/errors';
import { useSession } from '@/lib/session-context';
import type { Role } from '@/gql/graphql';
import {
  AccountRegisterMutation,
  AccountUpdateMutation,
  PasswordChangeMutation,
  PasswordResetConfirmMutation,
  PasswordResetRequestMutation,
  TokenCreateMutation,
  TokenRevokeMutation,
} from '../api/mutations';

/** What a form shows after a failed submit: sentences, and the fields they belong to. */
export interface FormFailure {
  messages: string[];
  fieldErrors: UserErrorLike[];
}

export type ActionResult = { ok: true } | ({ ok: false } & FormFailure);
/** A sign-in that worked also says who signed in (administrators land in the console). */
export type SignInResult = { ok: true; role: Role | null } | ({ ok: false } & FormFailure);

const failed = (messages: string[], fieldErrors: UserErrorLike[] = []): { ok: false } & FormFailure => ({
  ok: false,
  messages,
  fieldErrors,
});

/** A mutation's outcome for a form: it worked, or why not (a transport error or its userErrors). */
export function mutationOutcome(error: CombinedError | undefined, userErrors: readonly UserErrorLike[] | undefined): ActionResult {
  if (error) return failed([describeError(normalizeError(error))]);
  const errors = [...(userErrors ?? [])];
  return errors.length > 0 ? failed(userErrorMessages(errors), errors) : { ok: true };
}

export function useSignIn() {
  const { signIn } = useSession();
  const [{ fetching }, tokenCreate] = useMutation(TokenCreateMutation);
  const run = useCallback(
    async (email: string, password: string): Promise<SignInResult> => {
      const result = await tokenCreate({ email, password }, withoutAuth);
      if (result.error) return failed([describeError(normalizeError(result.error))]);
      const payload = result.data?.tokenCreate;
      if (payload?.accessToken && payload.refreshToken) {
        signIn({ accessToken: payload.accessToken, refreshToken: payload.refreshToken });
        return { ok: true, role: payload.user?.role ?? null };
      }
      const errors = payload?.userErrors ?? [];
      return failed(userErrorMessages(errors), errors);
    },
    [tokenCreate, signIn],
  );
  return { signIn: run, fetching };
}

/** Create the account, then sign in with it. */
export function useRegister() {
  const [{ fetching: registering }, accountRegister] = useMutation(AccountRegisterMutation);
  const { signIn, fetching: signingIn } = useSignIn();
  const run = useCallback(
    async (email: string, password: string): Promise<SignInResult> => {
      const result = await accountRegister({ input: { email, password } }, withoutAuth);
      if (result.error) return failed([describeError(normalizeError(result.error))]);
      const errors = result.data?.accountRegister.userErrors ?? [];
      if (errors.length > 0 || !result.data?.accountRegister.user) return failed(userErrorMessages(errors), errors);
      return signIn(email, password);
    },
    [accountRegister, signIn],
  );
  return { register: run, fetching: registering || signingIn };
}

/** End the session on the server (best effort) and forget the tokens here. */
export function useSignOut() {
  const { signOut, getRefreshToken } = useSession();
  const [{ fetching }, tokenRevoke] = useMutation(TokenRevokeMutation);
  const run = useCallback(async () => {
    const refreshToken = getRefreshToken();
    if (refreshToken) await tokenRevoke({ refreshToken }, withoutAuth);
    signOut();
  }, [getRefreshToken, tokenRevoke, signOut]);
  return { signOut: run, fetching };
}

/**
 * Change the password. The server ends every session of the user, this one included,
 * so we sign in again with the new password right away.
 */
export function usePasswordChange() {
  const { signOut } = useSession();
  const [{ fetching: changing }, passwordChange] = useMutation(PasswordChangeMutation);
  const { signIn, fetching: signingIn } = useSignIn();
  const run = useCallback(
    async (email: string, oldPassword: string, newPassword: string): Promise<ActionResult> => {
      const result = await passwordChange({ oldPassword, newPassword });
      if (result.error) return failed([describeError(normalizeError(result.error))]);
      const errors = result.data?.passwordChange.userErrors ?? [];
      if (errors.length > 0) return failed(userErrorMessages(errors), errors);
      const again = await signIn(email, newPassword);
      if (!again.ok) signOut();
      return again;
    },
    [passwordChange, signIn, signOut],
  );
  return { changePassword: run, fetching: changing || signingIn };
}

/** Ask for a password reset link. The answer is the same whether or not the account exists. */
export function usePasswordResetRequest() {
  const [{ fetching }, passwordResetRequest] = useMutation(PasswordResetRequestMutation);
  const run = useCallback(
    async (email: string): Promise<ActionResult> => {
      const result = await passwordResetRequest({ email }, withoutAuth);
      if (result.error) return failed([describeError(normalizeError(result.error))]);
      return { ok: true };
    },
    [passwordResetRequest],
  );
  return { requestReset: run, fetching };
}

/** Set a new password with the token of a mailed link. A bad link is worded as the server says. */
export function usePasswordResetConfirm() {
  const [{ fetching }, passwordResetConfirm] = useMutation(PasswordResetConfirmMutation);
  const run = useCallback(
    async (token: string, newPassword: string): Promise<ActionResult> => {
      const result = await passwordResetConfirm({ token, newPassword }, withoutAuth);
      if (result.error) return failed([describeError(normalizeError(result.error))]);
      const errors = result.data?.passwordResetConfirm.userErrors ?? [];
      if (errors.length === 0) return { ok: true };
      // INVALID_TOKEN here is the link, not the session: the server's sentence says so.
      const linkErrors = errors.filter((e) => e.code === 'INVALID_TOKEN').map((e) => e.message);
      const others = userErrorMessages(errors.filter((e) => e.code !== 'INVALID_TOKEN'));
      return failed([...linkErrors, ...others], errors);
    },
    [passwordResetConfirm],
  );
  return { confirmReset: run, fetching };
}

/** Save the signed-in user's display name and phone. */
export function useProfileUpdate() {
  const [{ fetching }, accountUpdate] = useMutation(AccountUpdateMutation);
  const run = useCallback(
    async (displayName: string, phone: string): Promise<ActionResult> => {
      const result = await accountUpdate({ input: { displayName, phone } });
      return mutationOutcome(result.error, result.data?.accountUpdate.userErrors);
    },
    [accountUpdate],
  );
  return { updateProfile: run, fetching };
}
