// Where the app finds the API. Same origin by default: the dev server proxies /graphql
// to the backend, and in production the backend serves the built app itself.
const httpPath = '/graphql';

export const env = {
  graphqlHttpUrl: new URL(httpPath, window.location.origin).toString(),
  graphqlWsUrl: new URL(httpPath, window.location.origin).toString().replace(/^http/, 'ws'),
  accessTokenStorageKey: 'flashmart.accessToken',
  refreshTokenStorageKey: 'flashmart.refreshToken',
  /** Name of the Web Lock that lets only one tab at a time trade the refresh token. */
  refreshLockName: 'flashmart.tokenRefresh',
  /** Dates and times are shown in the shop's timezone, named beside them (VITE_SHOP_TIMEZONE at build time). */
  shopTimeZone: (import.meta.env.VITE_SHOP_TIMEZONE as string | undefined) ?? 'Asia/Shanghai',
} as const;
