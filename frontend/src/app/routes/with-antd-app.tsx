import type { ComponentType } from 'react';
import { App } from 'antd';

/** `Page` inside antd's App, which holds the message, notification and modal of `App.useApp()`. */
export function withAntdApp<P extends object>(Page: ComponentType<P>): ComponentType<P> {
  function InAntdApp(props: P) {
    return (
      <App>
        <Page {...props} />
      </App>
    );
  }
  InAntdApp.displayName = `withAntdApp(${Page.displayName ?? Page.name})`;
  return InAntdApp;
}
