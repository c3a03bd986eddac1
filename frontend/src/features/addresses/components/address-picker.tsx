import { useEffect, useState } from 'react';
import { Button, Card, Flex, Radio, Spin, Tag, Typography } from 'antd';
import { ShippingAddress } from '@/components/shipping-address';
import { useAddresses } from '../hooks/use-addresses';
import { AddressForm } from './address-form';
import { useTranslation } from 'react-i18next';

export interface AddressPickerProps {
  /** The chosen address's id; null until one is chosen. */
  value: string | null;
  onChange: (addressId: string) => void;
}

/**
 * Choose where an order ships from the address book (the default preselected), or add a new
 * address in place: it joins the book and is chosen.
 */
export function AddressPicker({ value, onChange }: AddressPickerProps) {
  const { t } = useTranslation('shop');
  const book = useAddresses();
  const [adding, setAdding] = useState(false);
  const fallback = book.addresses.find((a) => a.isDefault) ?? book.addresses[0];

  useEffect(() => {
    if (value === null && fallback) onChange(fallback.id);
  }, [value, fallback, onChange]);

  if (book.fetching) return <Spin aria-label={t('addresses.loading')} />;
  const showForm = adding || book.addresses.length === 0;
  return (
    <Flex vertical gap={12}>
      {book.addresses.length > 0 && (
        <Radio.Group
          aria-label={t('addresses.shippingAddress')}
          value={value}
          onChange={(event) => onChange(event.target.value as string)}
          style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
        >
          {book.addresses.map((address) => (
            <Radio key={address.id} value={address.id}>
              <ShippingAddress address={address} /> {address.isDefault && <Tag color="blue">{t('addresses.default')}</Tag>}
            </Radio>
          ))}
        </Radio.Group>
      )}
      {showForm ? (
        <Card size="small" title={t('addresses.new')}>
          <AddressForm
            errors={book.errors}
            submitting={book.busy}
            submitLabel={t('addresses.useThis')}
            onSubmit={(values) =>
              void book.create(values).then((created) => {
                if (!created) return;
                setAdding(false);
                onChange(created.id);
              })
            }
            onCancel={book.addresses.length > 0 ? () => setAdding(false) : undefined}
          />
        </Card>
      ) : (
        <Button onClick={() => setAdding(true)} style={{ alignSelf: 'start' }}>
          {t('addresses.addNew')}
        </Button>
      )}
      {book.addresses.length === 0 && !adding && (
        <Typography.Text type="secondary">{t('addresses.emptyBook')}</Typography.Text>
      )}
    </Flex>
  );
}
