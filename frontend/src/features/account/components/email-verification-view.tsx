import { useResendVerification } from '../hooks/use-email-verification';
import { useViewer } from '../hooks/use-viewer';
import { VerifyEmailNotice } from './verify-email-notice';

/**
 * The notice for a signed-in shopper whose email is not verified (nothing otherwise).
 * `always`: show it even when the shop does not ask everyone to verify (a sale requires it).
 */
export function EmailVerificationView({ title, always = false }: { title: string; always?: boolean }) {
  const { viewer, verificationEnabled } = useViewer();
  const { resend, sending, notice } = useResendVerification();
  if (!viewer || viewer.emailVerified || !(always || verificationEnabled)) return null;
  return (
    <VerifyEmailNotice
      title={title}
      email={viewer.email}
      onResend={() => void resend()}
      sending={sending}
      notice={notice}
    />
  );
}
