import { act, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { i18n } from '@/lib/i18n';
import { saleDetailAnswer } from '../testing/sale-answer';
import { FlashSaleDetail, type FlashSaleDetailEvent } from './flash-sale-detail';

const start = Date.parse('2030-05-01T10:00:00Z');
const event = (overrides: Partial<FlashSaleDetailEvent> = {}): FlashSaleDetailEvent =>
  saleDetailAnswer({
    name: '耳机节',
    price: { __typename: 'Money', amount: '99.00', currency: 'CNY' },
    remainingStock: 7,
    totalStock: 50,
    perUserLimit: 2,
    startsAt: '2030-05-01T10:00:00Z',
    endsAt: '2030-05-01T11:00:00Z',
    ...overrides,
  }).data.seckillEvent as FlashSaleDetailEvent;

function show(props: Partial<Parameters<typeof FlashSaleDetail>[0]> = {}) {
  render(
    <MemoryRouter>
      <FlashSaleDetail event={event()} now={start + 1000} onBuy={() => undefined} {...props} />
    </MemoryRouter>,
  );
}

describe('FlashSaleDetail in 简体中文', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('zh-CN');
  });
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows the live sale in Chinese with the price in ¥', () => {
    show();
    expect(screen.getByText('¥99.00')).toBeInTheDocument();
    expect(screen.getByText('抢购中')).toBeInTheDocument();
    expect(screen.getByText('剩余 7 件，共 50 件')).toBeInTheDocument();
    expect(screen.getByText('每人限购 2 件')).toBeInTheDocument();
    expect(screen.getByRole('timer', { name: '距结束' })).toHaveTextContent('距结束 59:59');
    expect(screen.getByRole('button', { name: '立即抢购' })).toBeEnabled();
    expect(screen.queryByText(/Buy now|left|Live/)).not.toBeInTheDocument();
  });

  it('says why Buy is off before the start, counting days in Chinese', () => {
    show({ event: event({ status: 'SCHEDULED' }), now: start - 90_061_000 });
    expect(screen.getByText('即将开始')).toBeInTheDocument();
    expect(screen.getByRole('timer', { name: '距开始' })).toHaveTextContent('距开始 1天 01:01:01');
    expect(screen.getByText('秒杀尚未开始。')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '立即抢购' })).toBeDisabled();
  });

  it('follows a switch to English without a reload', async () => {
    show();
    await act(async () => {
      await i18n.changeLanguage('en');
    });
    expect(screen.getByRole('button', { name: 'Buy now' })).toBeInTheDocument();
    expect(screen.getByText('Live')).toBeInTheDocument();
    expect(screen.getByText('7 left of 50')).toBeInTheDocument();
    expect(screen.queryByText('抢购中')).not.toBeInTheDocument();
  });
});
