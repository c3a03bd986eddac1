import { App, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useFlashSaleForm, useProductOptions } from '../hooks/use-flash-sale-form';
import { FlashSaleForm, type FlashSaleFormValues } from './flash-sale-form';

/** The create page (no id) or the edit page of one flash sale. */
export function FlashSaleFormView({ id = null }: { id?: string | null }) {
  const sale = useFlashSaleForm(id);
  const options = useProductOptions();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { t } = useTranslation('console');
  const title = id === null ? t('saleForm.newTitle') : t('saleForm.editTitle');

  const submit = async (values: FlashSaleFormValues) => {
    const outcome = await sale.save(values);
    if (!outcome.saved) return;
    void message.success(id === null ? t('saleForm.created') : t('saleForm.saved'));
    void navigate(paths.admin.flashSales);
  };
  const form = (initial?: FlashSaleFormValues, own?: { id: string; name: string; stock: number }) => (
    <FlashSaleForm
      mode={id === null ? 'create' : 'edit'}
      initial={initial}
      products={own ? [own] : options.products}
      searchingProducts={own ? false : options.searching}
      onSearchProducts={options.onSearch}
      userErrors={sale.userErrors}
      failure={sale.failure}
      submitting={sale.saving}
      onSubmit={(values) => void submit(values)}
      onCancel={() => void navigate(paths.admin.flashSales)}
    />
  );

  if (id === null) {
    return (
      <>
        <Typography.Title level={2}>{title}</Typography.Title>
        {form()}
      </>
    );
  }
  const event = sale.event;
  return (
    <>
      <Typography.Title level={2}>{event ? t('saleForm.editTitleNamed', { name: event.product.name }) : title}</Typography.Title>
      <QueryState loadingLabel={t('saleForm.loading')} fetching={sale.loading} error={sale.error}>
        {event ? (
          form(
            {
              productId: event.product.id,
              price: event.price.amount,
              totalStock: event.totalStock,
              startsAt: event.startsAt,
              endsAt: event.endsAt,
              perUserLimit: event.perUserLimit,
              requiresVerifiedAccount: event.requiresVerifiedAccount,
              admissionMode: event.admissionMode,
              roomOpensAt: event.roomOpensAt ?? null,
              lotteryWindowSeconds: event.lotteryWindowSeconds,
              grantTtlSeconds: event.grantTtlSeconds,
              admissionFactor: event.admissionFactor,
            },
            event.product,
          )
        ) : (
          <Result status="404" title={t('saleForm.notFound')} />
        )}
      </QueryState>
    </>
  );
}
