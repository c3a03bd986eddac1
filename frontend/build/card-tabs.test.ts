import { describe, expect, it } from 'vitest';
import { cardTabs } from './card-tabs.ts';

type Hook = (source: string, importer?: string) => string | null;
type Load = (id: string) => string | null;

describe('card-tabs', () => {
  const plugin = cardTabs();
  const resolveId = plugin.resolveId as unknown as Hook;
  const load = plugin.load as unknown as Load;

  it("answers only antd Card's import of its Tabs", () => {
    const id = resolveId('../tabs', '/app/node_modules/antd/es/card/Card.js');
    expect(id).toBeTruthy();
    expect(resolveId('../tabs', '/app/node_modules/antd/es/dropdown/dropdown.js')).toBeNull();
    expect(resolveId('./tabs', '/app/node_modules/antd/es/card/Card.js')).toBeNull();
    expect(resolveId('antd/es/tabs', '/app/src/page.tsx')).toBeNull();
    expect(load(id as string)).toContain("React.lazy(() => import('antd/es/tabs'))");
    expect(load('/app/node_modules/antd/es/tabs/index.js')).toBeNull();
  });
});
