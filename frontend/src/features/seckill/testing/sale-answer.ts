const loadedAt = Date.now();

/** A sale's product as the `FlashSale` fragment selects it: regular price $129.00, no pictures by default. */
export function saleProduct(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'Product' as const,
    id: 'UHJvZHVjdDox',
    name: 'Smart Watch',
    price: { __typename: 'Money' as const, amount: '129.00', currency: 'USD' },
    cover: null as { __typename: 'ProductImage'; id: string; thumbnailUrl: string; alt: string } | null,
    ...overrides,
  };
}

/** The `FlashSaleDetail` answer of a live first-come sale (started a minute ago, ends in an hour), for fake fetches. */
export function saleDetailAnswer(overrides: Record<string, unknown> = {}) {
  return {
    data: {
      seckillEvent: {
        __typename: 'SeckillEvent',
        id: 'U2Vja2lsbEV2ZW50OjE=',
        name: 'Smart Watch',
        product: saleProduct(),
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
