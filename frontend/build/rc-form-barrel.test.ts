import { describe, expect, it } from 'vitest';
import * as barrel from '@rc-component/form';
import * as original from '@rc-component/form/es/index';

// vite.config.ts puts build/rc-form-barrel.ts in front of '@rc-component/form' for the tests too.
describe('rc-form-barrel', () => {
  it("answers '@rc-component/form' with the package index's exports, the same objects", () => {
    expect(Object.keys(barrel).sort()).toEqual(Object.keys(original).sort());
    for (const name of ['Field', 'FieldContext', 'FormProvider', 'List', 'ListContext', 'useForm', 'useWatch'] as const) {
      expect(barrel[name], name).toBe(original[name]);
    }
  });

  it('gives the default export (the form) the statics the package assigns', () => {
    const form = barrel.default as unknown as Record<string, unknown>;
    expect(form).not.toBe(original.default); // built by the plugin, not imported from the index
    for (const name of ['FormProvider', 'Field', 'List', 'useForm', 'useWatch'] as const) {
      expect(form[name], name).toBe((original.default as unknown as Record<string, unknown>)[name]);
    }
    expect((form as { $$typeof?: symbol }).$$typeof).toBe((original.default as unknown as { $$typeof?: symbol }).$$typeof);
  });
});
