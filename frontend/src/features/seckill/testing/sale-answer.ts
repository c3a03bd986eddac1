const loadedAt = Date.now();

/** The `FlashSaleDetail` answer of a live first-come sale (started a minute ago, ends in an hour), for fake fetches. */
export function saleDetailAnswer(overrides: Record<string, unknown> = {}) {
  return {
    data: {
      seckillEvent: {
        __typename: 'SeckillEvent',
        id: 'U2Vja2lsbEV2ZW50OjE=',
        name: 'Smart Watch',
        product: { __typename: 'Product', id: 'UHJvZHVjdDox', name: 'Smart Watch' },
        price: { __typename: 'Money', amount: '99.00', currency: 'USD' },
        remainingStock: 3,
        totalStock: 10,
        startsAt: new Date(loadedAt - 60_000).toISOString(),
        endsAt: new Date(loadedAt + 3_600_000).toISOString(),
        status: 'ACTIVE',
        perUserLimit: 1,
        requiresVerifiedAccount: false,
        admissionMode: 'FIRST_COME',
        lotteryWindowSeconds: 60,
        grantTtlSeconds: 120,
        drawSeed: null,
        ...overrides,
      },
    },
  };
}
