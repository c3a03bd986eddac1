import { Button, Card, Flex, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { ShippingAddress } from '@/components/shipping-address';
import type { BookAddress } from '../hooks/use-addresses';

export interface AddressBookProps {
  addresses: readonly BookAddress[];
  busy: boolean;
  onEdit: (address: BookAddress) => void;
  onDelete: (address: BookAddress) => void;
  onMakeDefault: (address: BookAddress) => void;
}

/** The shopper's addresses, the default marked, each with edit, delete and "make default". */
export function AddressBook({ addresses, busy, onEdit, onDelete, onMakeDefault }: AddressBookProps) {
  if (addresses.length === 0) {
    return <Typography.Text type="secondary">No addresses yet. Add one to check out faster.</Typography.Text>;
  }
  return (
    <List
      dataSource={[...addresses]}
      renderItem={(address) => (
        <List.Item key={address.id}>
          <Card style={{ width: '100%' }} size="small">
            <Flex justify="space-between" wrap gap={8}>
              <div>
                {address.isDefault && <Tag color="blue">Default</Tag>}
                <ShippingAddress address={address} />
              </div>
              <Space wrap>
                {!address.isDefault && (
                  <Button size="small" disabled={busy} onClick={() => onMakeDefault(address)}>
                    Make default
                  </Button>
                )}
                <Button size="small" disabled={busy} onClick={() => onEdit(address)}>
                  Edit
                </Button>
                <Popconfirm
                  title="Delete this address?"
                  description="Orders placed with it keep their copy."
                  okText="Yes, delete"
                  okButtonProps={{ danger: true }}
                  onConfirm={() => onDelete(address)}
                >
                  <Button size="small" danger disabled={busy}>
                    Delete
                  </Button>
                </Popconfirm>
              </Space>
            </Flex>
          </Card>
        </List.Item>
      )}
    />
  );
}
