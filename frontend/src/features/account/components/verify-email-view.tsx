import { useEffect, useRef, useState } from 'react';
import { Button, Card, Spin } from 'antd';
import { Result } from '@/components/result';
import { Link, useSearchParams } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useSession } from '@/lib/session-context';
import { invalidLinkMessage, useResendVerification, useVerifyEmail, type VerifyOutcome } from '../hooks/use-email-verification';
import { useTranslation } from 'react-i18next';

/** The page of the link in a verification email: uses the token once and says how it went. */
export function VerifyEmailView() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { t } = useTranslation('shop');
  const { verify } = useVerifyEmail();
  const { signedIn } = useSession();
  const { resend, sending, notice } = useResendVerification();
  const [answer, setAnswer] = useState<VerifyOutcome | null>(null);
  const sentFor = useRef<string | null>(null);

  useEffect(() => {
    // Once per token: a link works once, so a second call would report it as used.
    if (!token || sentFor.current === token) return;
    sentFor.current = token;
    void verify(token).then(setAnswer);
  }, [token, verify]);

  const outcome: VerifyOutcome | null = token ? answer : { state: 'invalid', message: invalidLinkMessage() };
  if (outcome === null) {
    return (
      <Card style={{ maxWidth: 560, margin: '24px auto', textAlign: 'center' }}>
        <Spin aria-label={t('account.verifying')} />
      </Card>
    );
  }
  if (outcome.state === 'verified') {
    return (
      <Result
        status="success"
        title={t('account.emailVerified')}
        subTitle={t('account.emailVerifiedHint', { email: outcome.email })}
        extra={<Link to={paths.home}>{t('account.goShop')}</Link>}
      />
    );
  }
  return (
    <Result
      status="warning"
      title={outcome.state === 'expired' ? t('account.linkExpired') : t('account.linkInvalid')}
      subTitle={outcome.message}
      extra={
        signedIn ? (
          <>
            <Button type="primary" onClick={() => void resend()} loading={sending}>
              {t('account.sendNewLink')}
            </Button>
            {notice && <p role="status">{notice.message}</p>}
          </>
        ) : (
          <Link to={`${paths.signIn}?next=${encodeURIComponent(paths.account)}`}>
            {t('account.signInForLink')}
          </Link>
        )
      }
    />
  );
}
