import { useCallback, useState } from 'react';
import { useMutation } from 'urql';
import { describeError, messageForCode, normalizeError, userErrorMessages } from '@/lib/errors';
import { useSession } from '@/lib/session-context';
import { AccountVerifyEmailMutation, AccountVerifyEmailResendMutation } from '../api/mutations';
import { i18n } from '@/lib/i18n';

/** What a link that is not valid (or already used) is told, in the page's language. */
export const invalidLinkMessage = () => i18n.t('shop:account.invalidLink');

export type VerifyOutcome =
  | { state: 'verified'; email: string }
  | { state: 'expired' | 'invalid' | 'failed'; message: string };

/**
 * `accountVerifyEmail` with the link's token. When this browser is signed in, the tokens are
 * refreshed right after: access tokens say whether the email was verified when they were issued,
 * and a flash sale for verified accounts reads that.
 */
export function useVerifyEmail() {
  const { signedIn, refreshTokens } = useSession();
  const [{ fetching }, verify] = useMutation(AccountVerifyEmailMutation);
  const run = useCallback(
    async (token: string): Promise<VerifyOutcome> => {
      const result = await verify({ token });
      if (result.error) return { state: 'failed', message: describeError(normalizeError(result.error)) };
      const payload = result.data?.accountVerifyEmail;
      if (payload?.user) {
        if (signedIn) await refreshTokens();
        return { state: 'verified', email: payload.user.email };
      }
      const errors = payload?.userErrors ?? [];
      if (errors.some((error) => error.code === 'TOKEN_EXPIRED')) {
        return { state: 'expired', message: messageForCode('TOKEN_EXPIRED', '') };
      }
      // INVALID_TOKEN here is about the link, not the session (the shared wording says "sign in again").
      return { state: 'invalid', message: invalidLinkMessage() };
    },
    [verify, signedIn, refreshTokens],
  );
  return { verify: run, verifying: fetching };
}

/** "Send the link again": what happened, as one sentence for the shopper. */
export function useResendVerification() {
  const [{ fetching }, resend] = useMutation(AccountVerifyEmailResendMutation);
  const [notice, setNotice] = useState<{ ok: boolean; message: string } | null>(null);
  const run = useCallback(async () => {
    const result = await resend({});
    if (result.error) {
      setNotice({ ok: false, message: describeError(normalizeError(result.error)) });
      return;
    }
    const errors = result.data?.accountVerifyEmailResend.userErrors ?? [];
    setNotice(
      errors.length > 0
        ? { ok: false, message: userErrorMessages(errors).join(' ') }
        : { ok: true, message: i18n.t('shop:account.linkSent') },
    );
  }, [resend]);
  return { resend: run, sending: fetching, notice };
}
