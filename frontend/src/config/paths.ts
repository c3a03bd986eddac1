export const paths = {
  home: '/',
  products: '/products',
  product: (id: string) => `/products/${encodeURIComponent(id)}`,
  cart: '/cart',
  signIn: '/sign-in',
  register: '/register',
  account: '/account',
  orders: '/account/orders',
  addresses: '/account/addresses',
  /** The checkout review of the cart. */
  checkout: '/checkout',
  /** The checkout review of a "buy now" of one product. */
  buyNow: (productId: string, quantity = 1) =>
    `/checkout?product=${encodeURIComponent(productId)}&quantity=${quantity}`,
  /** The page of the link in a verification email (`?token=`); the API writes the same path. */
  verifyEmail: '/verify-email',
  forgotPassword: '/forgot-password',
  /** The page of the link in a password reset email (`?token=`); the API writes the same path. */
  resetPassword: '/reset-password',
  /** Development only: the mail the API kept instead of sending. */
  devMailbox: '/dev/mailbox',
  order: (id: string) => `/account/orders/${encodeURIComponent(id)}`,
  flashSale: (id: string) => `/flash-sales/${encodeURIComponent(id)}`,
  admin: {
    root: '/admin',
    flashSales: '/admin/flash-sales',
    newFlashSale: '/admin/flash-sales/new',
    flashSale: (id: string) => `/admin/flash-sales/${encodeURIComponent(id)}`,
    controlRoom: (id: string) => `/admin/flash-sales/${encodeURIComponent(id)}/control-room`,
    orders: '/admin/orders',
    order: (id: string) => `/admin/orders/${encodeURIComponent(id)}`,
    packingSlip: (id: string) => `/admin/orders/${encodeURIComponent(id)}/packing-slip`,
    users: '/admin/users',
    afterSales: '/admin/after-sales',
    products: '/admin/products',
    newProduct: '/admin/products/new',
    product: (id: string) => `/admin/products/${encodeURIComponent(id)}`,
    categories: '/admin/categories',
  },
} as const;

/** Sign-in link that comes back to `returnTo` afterwards. */
export function signInPath(returnTo?: string): string {
  return returnTo ? `${paths.signIn}?next=${encodeURIComponent(returnTo)}` : paths.signIn;
}

/** Where to go after signing in: only same-site paths, never another origin. */
export function safeReturnPath(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : paths.home;
}
