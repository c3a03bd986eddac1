import { Suspense } from 'react';
import type { ResultProps } from 'antd';
import { lazyAntd } from './lazy-antd';

// antd's Result (~10 KB gzipped, most of it the 403/404/500 illustrations) in a chunk of its own:
// the shop shows it only when something is missing or refused, so no page loads it up front.
const AntdResult = lazyAntd(async () => (await import('antd/es/result')).default);

/** antd's Result, loaded when first shown. */
export function Result(props: ResultProps) {
  return (
    <Suspense fallback={null}>
      <AntdResult {...props} />
    </Suspense>
  );
}
