import { Button, Card, Flex, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { ShippingAddress } from '@/components/shipping-address';
import type { BookAddress } from '../hooks/use-addresses';
import { useTranslation } from 'react-i18next';

export interface AddressBookProps {
  addresses: readonly BookAddress[];
  busy: boolean;
  onEdit: (address: BookAddress) => void;
  onDelete: (address: BookAddress) => void;
  onMakeDefault: (address: BookAddress) => void;
}

/** The shopper's addresses, the default marked, each with edit, delete and "make default". */
export function AddressBook({ addresses, busy, onEdit, onDelete, onMakeDefault }: AddressBookProps) {
  const { t } = useTranslation('shop');
  if (addresses.length === 0) {
    return <Typography.Text type="secondary">{t('addresses.none')}</Typography.Text>;
  }
  return (
    <List
      dataSource={[...addresses]}
      renderItem={(address) => (
        <List.Item key={address.id}>
          <Card style={{ width: '100%' }} size="small">
            <Flex justify="space-between" wrap gap={8}>
              <div>
                {address.isDefault && <Tag color="blue">{t('addresses.default')}</Tag>}
                <ShippingAddress address={address} />
              </div>
              <Space wrap>
                {!address.isDefault && (
                  <Button size="small" disabled={busy} onClick={() => onMakeDefault(address)}>
                    {t('addresses.makeDefault')}
                  </Button>
                )}
                <Button size="small" disabled={busy} onClick={() => onEdit(address)}>
                  {t('addresses.editButton')}
                </Button>
                <Popconfirm
                  title={t('addresses.deleteConfirm')}
                  description={t('addresses.deleteHint')}
                  okText={t('addresses.yesDelete')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => onDelete(address)}
                >
                  <Button size="small" danger disabled={busy}>
                    {t('addresses.delete')}
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
