import { useState, type ReactNode } from 'react';
import { App as AntdApp, ConfigProvider } from 'antd';
import { Provider as UrqlProvider } from 'urql';
import { env } from '@/config/env';
import { getToken } from '@/lib/auth-token';
import { createGraphqlClient } from '@/lib/graphql-client';

export function AppProvider({ children }: { children: ReactNode }) {
  const [client] = useState(() =>
    createGraphqlClient({ httpUrl: env.graphqlHttpUrl, wsUrl: env.graphqlWsUrl, getToken }),
  );
  return (
    <ConfigProvider>
      <AntdApp>
        <UrqlProvider value={client}>{children}</UrqlProvider>
      </AntdApp>
    </ConfigProvider>
  );
}
