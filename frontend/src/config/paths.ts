export const paths = {
  home: '/',
  admin: {
    root: '/admin',
  },
} as const;
