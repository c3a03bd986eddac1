import { useTranslation } from 'react-i18next';

/** Shown while a page's code loads: antd's large Spin drawn by src/app/styles.css (the shell
 * every page loads need not carry antd's Spin for it). */
export function PageSpinner() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t('page.loading')} className="page-spinner">
      <span className="page-spinner-dots" aria-hidden>
        <i />
        <i />
        <i />
        <i />
      </span>
    </div>
  );
}
