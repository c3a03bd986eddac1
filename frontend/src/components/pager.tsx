import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface PagerProps {
  /** Names the navigation landmark, e.g. "Product pages". */
  label: string;
  /** 1-based; null when unknown (a shared link deep into the list). */
  page: number | null;
  pageCount: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}

/** Previous / next over a cursor connection (cursors allow no jumping to page n). */
export function Pager({ label, page, pageCount, hasPrevious, hasNext, onPrevious, onNext }: PagerProps) {
  const { t } = useTranslation();
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav aria-label={label} style={{ marginTop: 24 }}>
      <Flex justify="center" align="center" gap={16}>
        <Button icon={<LeftOutlined />} disabled={!hasPrevious} onClick={onPrevious}>
          {t('pager.previous')}
        </Button>
        <Typography.Text aria-live="polite">
          {page === null ? '' : t('pager.pageOf', { page, count: Math.max(pageCount, page) })}
        </Typography.Text>
        <Button icon={<RightOutlined />} iconPlacement="end" disabled={!hasNext} onClick={onNext}>
          {t('pager.next')}
        </Button>
      </Flex>
    </nav>
  );
}
