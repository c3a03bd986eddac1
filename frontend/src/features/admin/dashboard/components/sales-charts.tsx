import { Card, Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DailyPoint, StatusSlice } from '../utils/chart-data';

const statusColors: Record<StatusSlice['status'], string> = {
  PENDING_PAYMENT: '#faad14',
  PAID: '#52c41a',
  SHIPPED: '#1677ff',
  COMPLETED: '#13c2c2',
  CANCELLED: '#bfbfbf',
  EXPIRED: '#8c8c8c',
  REFUNDED: '#722ed1',
};

/** Orders (left axis) and paid revenue (right axis) per day. */
export function DailySalesChart({ points, currency }: { points: DailyPoint[]; currency: string }) {
  const { t } = useTranslation('console');
  return (
    <Card title={t('dashboard.dailyChart')} role="figure" aria-label={t('dashboard.dailyChart')}>
      <ResponsiveContainer width="100%" height={300}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis yAxisId="orders" allowDecimals={false} />
          <YAxis yAxisId="revenue" orientation="right" />
          <Tooltip />
          <Legend />
          <Line yAxisId="orders" type="monotone" dataKey="orders" name={t('dashboard.ordersSeries')} stroke="#1677ff" dot={false} />
          <Line
            yAxisId="revenue"
            type="monotone"
            dataKey="revenue"
            name={t('dashboard.revenueSeries', { currency })}
            stroke="#52c41a"
            dot={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </Card>
  );
}

/** How many of the period's orders are in each status. */
export function StatusChart({ slices }: { slices: StatusSlice[] }) {
  const { t } = useTranslation('console');
  return (
    <Card title={t('dashboard.statusChart')} role="figure" aria-label={t('dashboard.statusChart')}>
      {slices.length === 0 ? (
        <Empty description={t('dashboard.noOrders')} />
      ) : (
        <ResponsiveContainer width="100%" height={300}>
          <BarChart data={slices} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="count" name={t('dashboard.ordersSeries')}>
              {slices.map((slice) => (
                <Cell key={slice.status} fill={statusColors[slice.status]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </Card>
  );
}
