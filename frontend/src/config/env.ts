// Where the app finds the API. Same origin by default: the dev server proxies /graphql
// to the backend, and in production the backend serves the built app itself.
const httpPath = '/graphql';

export const env = {
  graphqlHttpUrl: new URL(httpPath, window.location.origin).toString(),
  graphqlWsUrl: new URL(httpPath, window.location.origin).toString().replace(/^http/, 'ws'),
  tokenStorageKey: 'flashmart.accessToken',
} as const;
