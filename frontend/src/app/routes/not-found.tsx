import { Result } from 'antd';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useTranslation } from 'react-i18next';

export function NotFoundRoute() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('page.notFound')}
      subTitle={t('page.notFoundHint')}
      extra={<Link to={paths.home}>{t('page.backToShop')}</Link>}
    />
  );
}
