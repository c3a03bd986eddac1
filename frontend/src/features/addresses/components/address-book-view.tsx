import { useState } from 'react';
import { App, Button, Card, Flex } from 'antd';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { useAddresses, type BookAddress } from '../hooks/use-addresses';
import { AddressBook } from './address-book';
import { AddressForm, emptyAddress, type AddressFormValues } from './address-form';
import { useTranslation } from 'react-i18next';

function formValues(address: BookAddress): AddressFormValues {
  const { recipient, phone, region, city, district, street, postcode } = address;
  return { recipient, phone, region, city, district, street, postcode };
}

/** The account's address book page: list, add, edit, delete, choose the default. */
export function AddressBookView() {
  const book = useAddresses();
  const { message } = App.useApp();
  const { t } = useTranslation('shop');
  // null: no form; 'new': adding; an address: editing it.
  const [editing, setEditing] = useState<BookAddress | 'new' | null>(null);

  const close = () => {
    setEditing(null);
    book.clearErrors();
  };
  const submit = async (values: AddressFormValues) => {
    const ok = editing === 'new' ? (await book.create(values)) !== null : editing ? await book.update(editing.id, values) : false;
    if (ok) {
      void message.success(editing === 'new' ? t('addresses.added') : t('addresses.saved'));
      setEditing(null);
    }
  };

  return (
    <PageSection title={t('addresses.title')}>
      <QueryState loadingLabel={t('addresses.loading')} fetching={book.fetching} error={book.error}>
        <Flex vertical gap={16}>
          {editing ? (
            <Card title={editing === 'new' ? t('addresses.new') : t('addresses.edit')}>
              <AddressForm
                key={editing === 'new' ? 'new' : editing.id}
                initial={editing === 'new' ? emptyAddress : formValues(editing)}
                errors={book.errors}
                submitting={book.busy}
                submitLabel={editing === 'new' ? t('addresses.add') : t('addresses.save')}
                onSubmit={(values) => void submit(values)}
                onCancel={close}
              />
            </Card>
          ) : (
            <Button type="primary" onClick={() => setEditing('new')} style={{ alignSelf: 'start' }}>
              {t('addresses.add')}
            </Button>
          )}
          <AddressBook
            addresses={book.addresses}
            busy={book.busy}
            onEdit={(address) => setEditing(address)}
            onDelete={(address) => void book.remove(address.id)}
            onMakeDefault={(address) => void book.makeDefault(address.id)}
          />
        </Flex>
      </QueryState>
    </PageSection>
  );
}
