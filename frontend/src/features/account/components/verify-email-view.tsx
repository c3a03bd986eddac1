import { useEffect, useRef, useState } from 'react';
import { Button, Card, Result, Spin } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useSession } from '@/lib/session-context';
import { INVALID_LINK, useResendVerification, useVerifyEmail, type VerifyOutcome } from '../hooks/use-email-verification';

/** The page of the link in a verification email: uses the token once and says how it went. */
export function VerifyEmailView() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
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

  const outcome: VerifyOutcome | null = token ? answer : { state: 'invalid', message: INVALID_LINK };
  if (outcome === null) {
    return (
      <Card style={{ maxWidth: 560, margin: '24px auto', textAlign: 'center' }}>
        <Spin aria-label="Verifying your email address" />
      </Card>
    );
  }
  if (outcome.state === 'verified') {
    return (
      <Result
        status="success"
        title="Your email address is verified"
        subTitle={`Thank you: ${outcome.email} is confirmed. You can now take part in every flash sale.`}
        extra={<Link to={paths.home}>Go to the shop</Link>}
      />
    );
  }
  return (
    <Result
      status="warning"
      title={outcome.state === 'expired' ? 'This link has expired' : 'This link does not work'}
      subTitle={outcome.message}
      extra={
        signedIn ? (
          <>
            <Button type="primary" onClick={() => void resend()} loading={sending}>
              Send me a new link
            </Button>
            {notice && <p role="status">{notice.message}</p>}
          </>
        ) : (
          <Link to={`${paths.signIn}?next=${encodeURIComponent(paths.account)}`}>
            Sign in to ask for a new link
          </Link>
        )
      }
    />
  );
}
