import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Select, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import type { SeckillStatus } from '@/gql/graphql';
import { normalizeError } from '@/lib/errors';
import { useFlashSales } from '../hooks/use-flash-sales';
import { flashSaleStatus, FlashSalesTable, type FlashSaleRow } from './flash-sales-table';

const statusOptions = (Object.keys(flashSaleStatus) as SeckillStatus[]).map((value) => ({
  value,
  label: flashSaleStatus[value].label,
}));

export function FlashSalesView() {
  const sales = useFlashSales();
  const { message } = App.useApp();
  const navigate = useNavigate();

  const warmUp = async (event: FlashSaleRow) => {
    const { error, messages } = await sales.warmUp(event.id);
    if (error) void message.error(normalizeError(error).message);
    else if (messages.length) void message.error(messages.join(' '));
    else void message.success(`${event.product.name} is warmed up`);
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2}>Flash sales</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate(paths.admin.newFlashSale)}>
          New flash sale
        </Button>
      </Flex>
      <Space style={{ marginBottom: 16 }} wrap>
        <Select<SeckillStatus>
          allowClear
          placeholder="Any status"
          aria-label="Filter by status"
          style={{ width: 180 }}
          options={statusOptions}
          value={sales.status ?? undefined}
          onChange={(value) => sales.setStatus(value ?? null)}
        />
        <Typography.Text type="secondary">{sales.totalCount} sales</Typography.Text>
      </Space>
      <QueryState
        loadingLabel="Loading flash sales"
        fetching={sales.fetching}
        error={sales.error}
        isEmpty={sales.events.length === 0}
        emptyDescription="No flash sales"
      >
        <FlashSalesTable events={sales.events} onWarmUp={(event) => void warmUp(event)} warmingUp={sales.warmingUp} />
        <Space style={{ marginTop: 16 }}>
          <Button onClick={sales.previous} disabled={!sales.hasPrevious}>
            Previous page
          </Button>
          <Button onClick={sales.next} disabled={!sales.hasNext}>
            Next page
          </Button>
        </Space>
      </QueryState>
    </>
  );
}
