import { graphql } from '@/gql';

export const SalesDashboardQuery = graphql(`
  query SalesDashboard($from: DateTime!, $to: DateTime!) {
    salesReport(from: $from, to: $to, granularity: DAY) {
      days {
        date
        orders
        paidOrders
        revenue {
          amount
          currency
        }
      }
      statusCounts {
        status
        count
      }
      orders
      paidRate
      revenue {
        amount
        currency
      }
      today {
        date
        orders
        paidOrders
        revenue {
          amount
          currency
        }
      }
    }
    activeFlashSales: seckillEvents(first: 1, filter: { status: ACTIVE }) {
      totalCount
    }
  }
`);
