import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import type { SeckillStatus } from '@/gql/graphql';
import { normalizeError } from '@/lib/errors';
import { useFlashSales } from '../hooks/use-flash-sales';
import { flashSaleStatuses, FlashSalesTable, type FlashSaleRow } from './flash-sales-table';

export function FlashSalesView() {
  const sales = useFlashSales();
  const { t } = useTranslation('console');
  const { message } = App.useApp();
  const navigate = useNavigate();

  const warmUp = async (event: FlashSaleRow) => {
    const { error, messages } = await sales.warmUp(event.id);
    if (error) void message.error(normalizeError(error).message);
    else if (messages.length) void message.error(messages.join(' '));
    else void message.success(t('flashSales.warmedUp', { name: event.product.name }));
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2}>{t('flashSales.title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate(paths.admin.newFlashSale)}>
          {t('flashSales.new')}
        </Button>
      </Flex>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select<SeckillStatus>
          allowClear
          placeholder={t('flashSales.anyStatus')}
          aria-label={t('flashSales.filterByStatus')}
          style={{ width: 180 }}
          options={flashSaleStatuses.map((value) => ({ value, label: t(`saleStatus.${value}`) }))}
          value={sales.status ?? undefined}
          onChange={(value) => sales.setStatus(value ?? null)}
        />
        <Typography.Text type="secondary">{t('flashSales.count', { count: sales.totalCount })}</Typography.Text>
      </Space>
      <QueryState
        loadingLabel={t('flashSales.loading')}
        fetching={sales.fetching}
        error={sales.error}
        isEmpty={sales.events.length === 0}
        emptyDescription={t('flashSales.none')}
      >
        <FlashSalesTable events={sales.events} onWarmUp={(event) => void warmUp(event)} warmingUp={sales.warmingUp} />
        <Space style={{ marginTop: 16 }}>
          <Button onClick={sales.previous} disabled={!sales.hasPrevious}>
            {t('flashSales.previousPage')}
          </Button>
          <Button onClick={sales.next} disabled={!sales.hasNext}>
            {t('flashSales.nextPage')}
          </Button>
        </Space>
      </QueryState>
    </>
  );
}
