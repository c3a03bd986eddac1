import { useCallback } from 'react';
import { useMutation } from 'urql';
import { withoutAuth } from '@/lib/auth-exchange';
import { normalizeError, describeError, userErrorMessages, type UserErrorLike } from '@/lib/errors';
import { useSession } from '@/lib/session-context';
import { AccountRegisterMutation, PasswordChangeMutation, TokenCreateMutation, TokenRevokeMutation } from '../api/mutations';

/** What a form shows after a failed submit: sentences, and the fields they belong to. */
export interface FormFailure {
  messages: string[];
  fieldErrors: UserErrorLike[];
}

export type ActionResult = { ok: true } | ({ ok: false } & FormFailure);

const failed = (messages: string[], fieldErrors: UserErrorLike[] = []): ActionResult => ({
  ok: false,
  messages,
  fieldErrors,
});

export function useSignIn() {
  const { signIn } = useSession();
  const [{ fetching }, tokenCreate] = useMutation(TokenCreateMutation);
  const run = useCallback(
    async (email: string, password: string): Promise<ActionResult> => {
      const result = await tokenCreate({ email, password }, withoutAuth);
      if (result.error) return failed([describeError(normalizeError(result.error))]);
      const payload = result.data?.tokenCreate;
      if (payload?.accessToken && payload.refreshToken) {
        signIn({ accessToken: payload.accessToken, refreshToken: payload.refreshToken });
        return { ok: true };
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
    async (email: string, password: string): Promise<ActionResult> => {
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
