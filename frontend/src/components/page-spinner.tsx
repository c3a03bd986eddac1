import { Flex, Spin } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shown while a page's code loads. */
export function PageSpinner() {
  const { t } = useTranslation();
  return (
    <Flex role="status" aria-label={t('page.loading')} justify="center" align="center" style={{ minHeight: '50vh' }}>
      <Spin size="large" />
    </Flex>
  );
}
