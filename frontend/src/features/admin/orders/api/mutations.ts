import { graphql } from '@/gql';

export const AdminOrderStatusUpdateMutation = graphql(`
  mutation AdminOrderStatusUpdate($id: ID!, $status: OrderStatus!) {
    orderStatusUpdate(id: $id, status: $status) {
      order {
        ...AdminOrderDetail
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const AdminOrderRefundMutation = graphql(`
  mutation AdminOrderRefund($id: ID!) {
    orderRefund(id: $id) {
      order {
        ...AdminOrderDetail
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const AdminOrderShipMutation = graphql(`
  mutation AdminOrderShip($id: ID!, $carrier: String!, $trackingNumber: String!) {
    orderShip(id: $id, carrier: $carrier, trackingNumber: $trackingNumber) {
      order {
        ...AdminOrderDetail
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
