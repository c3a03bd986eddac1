import { useTranslation } from 'react-i18next';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import type { SalesDashboardQuery } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';
import { formatPercent, toDailySeries, toStatusSeries } from '../utils/chart-data';
import { DailySalesChart, StatusChart } from './sales-charts';

type Report = SalesDashboardQuery['salesReport'];

function Kpi({ title, value }: { title: string; value: string | number }) {
  return (
    <Col xs={24} sm={12} lg={6}>
      <Card role="group" aria-label={title}>
        <Statistic title={title} value={value} />
      </Card>
    </Col>
  );
}

/** Today's figures, then the last 30 days as charts. */
export function Dashboard({ report, activeFlashSales }: { report: Report; activeFlashSales: number }) {
  const { t } = useTranslation('console');
  const { today } = report;
  const todayRate = today.orders ? today.paidOrders / today.orders : 0;
  return (
    <>
      <Typography.Title level={2}>{t('dashboard.title')}</Typography.Title>
      <Row gutter={[16, 16]}>
        <Kpi title={t('dashboard.ordersToday')} value={today.orders} />
        <Kpi title={t('dashboard.revenueToday')} value={formatMoney(today.revenue)} />
        <Kpi title={t('dashboard.paidRateToday')} value={formatPercent(todayRate)} />
        <Kpi title={t('dashboard.liveFlashSales')} value={activeFlashSales} />
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        {t('dashboard.summary', {
          count: report.orders,
          revenue: formatMoney(report.revenue),
          rate: formatPercent(report.paidRate),
        })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <DailySalesChart points={toDailySeries(report.days)} currency={report.revenue.currency} />
        </Col>
        <Col xs={24} xl={10}>
          <StatusChart slices={toStatusSeries(report.statusCounts)} />
        </Col>
      </Row>
    </>
  );
}
