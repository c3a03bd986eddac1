import { describe, expect, it } from 'vitest';
import { lazyAntdParts } from './lazy-antd-parts.ts';

type Hook = (source: string, importer?: string) => string | null;
type Load = (id: string) => string | null;

describe('lazy-antd-parts', () => {
  const plugin = lazyAntdParts();
  const resolveId = plugin.resolveId as unknown as Hook;
  const load = plugin.load as unknown as Load;
  const antd = '/app/node_modules/antd/es';

  it("answers Typography's imports of Tooltip and its editing box, Progress's of its circle and ConfigProvider's of Tooltip's UniqueProvider", () => {
    const tooltip = resolveId('../../tooltip', `${antd}/typography/Base/index.js`);
    expect(tooltip).toBeTruthy();
    expect(resolveId('../../tooltip', `${antd}/typography/Base/CopyBtn.js`)).toBe(tooltip);
    expect(resolveId('../../tooltip', `${antd}/typography/Base/EllipsisTooltip.js`)).toBe(tooltip);
    expect(load(tooltip as string)).toContain("React.lazy(() => import('antd/es/tooltip'))");
    expect(load(tooltip as string)).toContain('fallback: props.children ?? null');

    const editable = resolveId('../Editable', `${antd}/typography/Base/index.js`);
    expect(load(editable as string)).toContain("React.lazy(() => import('antd/es/typography/Editable'))");
    const circle = resolveId('./Circle', `${antd}/progress/progress.js`);
    expect(load(circle as string)).toContain("React.lazy(() => import('antd/es/progress/Circle'))");
    expect(load(circle as string)).toContain('fallback: null');
    const unique = resolveId('../tooltip/UniqueProvider', `${antd}/config-provider/index.js`);
    expect(load(unique as string)).toContain("React.lazy(() => import('antd/es/tooltip/UniqueProvider'))");
  });

  it('leaves every other import alone', () => {
    expect(resolveId('../tooltip', `${antd}/menu/MenuItem.js`)).toBeNull();
    expect(resolveId('../../tooltip', `${antd}/slider/SliderTooltip.js`)).toBeNull();
    expect(resolveId('./Circle', `${antd}/progress/index.js`)).toBeNull();
    expect(resolveId('antd/es/tooltip', '/app/src/page.tsx')).toBeNull();
    expect(resolveId('../../tooltip')).toBeNull();
    expect(load(`${antd}/tooltip/index.js`)).toBeNull();
  });
});
