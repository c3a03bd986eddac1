import { lazy, type ComponentType } from 'react';

/**
 * React.lazy for an antd component that pages outside the antd routes show (the shell, the
 * flash-sale page): it loads with the antd scope (the shop's theme and the language's antd
 * strings, src/components/antd-scope.tsx) around it.
 */
export function lazyAntd<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => {
    const [Component, { AntdScope, antdReady }] = await Promise.all([load(), import('./antd-scope')]);
    await antdReady();
    function Scoped(props: P) {
      return (
        <AntdScope>
          <Component {...props} />
        </AntdScope>
      );
    }
    return { default: Scoped };
  });
}
