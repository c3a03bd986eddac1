export const paths = {
  home: '/',
  products: '/products',
  product: (id: string) => `/products/${encodeURIComponent(id)}`,
  cart: '/cart',
  signIn: '/sign-in',
  register: '/register',
  account: '/account',
  orders: '/account/orders',
  order: (id: string) => `/account/orders/${encodeURIComponent(id)}`,
  admin: {
    root: '/admin',
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
