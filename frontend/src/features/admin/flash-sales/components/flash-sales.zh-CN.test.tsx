import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '@/lib/i18n';
import { renderWithProviders } from '@/testing/render';
import { FlashSaleForm } from './flash-sale-form';
import { FlashSalesTable, type FlashSaleRow } from './flash-sales-table';

const sale: FlashSaleRow = {
  __typename: 'SeckillEvent',
  id: 'U2Vja2lsbEV2ZW50OjE=',
  status: 'SCHEDULED',
  totalStock: 100,
  remainingStock: 100,
  perUserLimit: 2,
  startsAt: '2030-01-01T10:00:00Z',
  endsAt: '2030-01-01T11:00:00Z',
  price: { __typename: 'Money', amount: '9.90', currency: 'CNY' },
  product: { __typename: 'Product', id: 'UHJvZHVjdDox', name: 'Phone' },
};

describe('flash sales in 简体中文', () => {
  beforeEach(async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
  });
  afterEach(async () => {
    await act(() => i18n.changeLanguage('en'));
  });

  it('labels the form in Chinese and says in Chinese what is missing', async () => {
    const onSubmit = vi.fn();
    render(<FlashSaleForm mode="create" products={[]} onSubmit={onSubmit} onCancel={vi.fn()} />);

    expect(screen.getByRole('form', { name: '新建秒杀活动' })).toBeInTheDocument();
    for (const label of ['秒杀价', '秒杀库存', '开始时间', '结束时间', '每人限购']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.getByRole('radio', { name: '先到先得' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: '仅限已验证账号' })).not.toBeChecked();

    fireEvent.click(screen.getByRole('button', { name: '创建秒杀活动' }));

    expect(await screen.findByText('请选择参与秒杀的商品')).toBeInTheDocument();
    expect(screen.getByText('请输入秒杀价')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.queryByText('Create flash sale')).not.toBeInTheDocument();
  });

  it("shows the table's columns, the shop's status word and the actions in Chinese", () => {
    renderWithProviders(<FlashSalesTable events={[sale]} onWarmUp={vi.fn()} warmingUp={false} />);

    const headers = screen.getAllByRole('columnheader').map((cell) => cell.textContent);
    expect(headers).toEqual(['商品', '状态', '秒杀价', '剩余库存', '每人限购', '开始时间', '结束时间', '操作']);
    const row = screen.getByRole('row', { name: /Phone/ });
    expect(within(row).getByText('未开始')).toBeInTheDocument();
    expect(within(row).getByText('¥9.90')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: '预热 Phone' })).toBeEnabled();
    expect(within(row).getByRole('link', { name: 'Phone 的实时监控' })).toHaveTextContent('实时监控');
  });
});
