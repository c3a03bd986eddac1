import { lazy, Suspense } from 'react';
import { useResendVerification } from '../hooks/use-email-verification';
import { useViewer } from '../hooks/use-viewer';

// Loaded when an unverified shopper is signed in: the notice (an Alert, and react-i18next's Trans
// for its bold address) stays out of the header that every page loads.
const VerifyEmailNotice = lazy(async () => ({ default: (await import('./verify-email-notice')).VerifyEmailNotice }));

/**
 * The notice for a signed-in shopper whose email is not verified (nothing otherwise).
 * `always`: show it even when the shop does not ask everyone to verify (a sale requires it).
 */
export function EmailVerificationView({ title, always = false }: { title: string; always?: boolean }) {
  const { viewer, verificationEnabled } = useViewer();
  const { resend, sending, notice } = useResendVerification();
  if (!viewer || viewer.emailVerified || !(always || verificationEnabled)) return null;
  return (
    <Suspense fallback={null}>
      <VerifyEmailNotice
        title={title}
        email={viewer.email}
        onResend={() => void resend()}
        sending={sending}
        notice={notice}
      />
    </Suspense>
  );
}
