import { Alert, Button, Flex, Typography } from 'antd';
import { Trans, useTranslation } from 'react-i18next';
import { AntdScope } from '@/components/antd-scope';

export interface VerifyEmailNoticeProps {
  /** What the shopper should do, e.g. "Verify your email to take part". */
  title: string;
  email: string;
  onResend: () => void;
  sending?: boolean;
  /** The outcome of the last "send again". */
  notice?: { ok: boolean; message: string } | null;
}

/** Asks the shopper to open the verification link, with a button that mails a new one. */
export function VerifyEmailNotice({ title, email, onResend, sending = false, notice = null }: VerifyEmailNoticeProps) {
  const { t } = useTranslation('shop');
  // Shown in the header and on the flash-sale page too, which are outside the antd routes' scope.
  return (
    <AntdScope>
      <Alert
        // A request, not an error: the page's own alerts (form errors) stay the only role="alert".
        role="region"
        aria-label={title}
        type="warning"
        showIcon
        title={title}
        description={
          <Flex vertical gap={8} align="start">
            <Typography.Text>
              <Trans t={t} i18nKey="account.openLink" values={{ email }} components={{ strong: <Typography.Text strong /> }} />
            </Typography.Text>
            <Button size="small" onClick={onResend} loading={sending}>
              {t('account.sendAgain')}
            </Button>
            {notice && (
              <Typography.Text type={notice.ok ? 'success' : 'danger'} role="status">
                {notice.message}
              </Typography.Text>
            )}
          </Flex>
        }
      />
    </AntdScope>
  );
}
