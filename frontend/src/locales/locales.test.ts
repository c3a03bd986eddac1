import { describe, expect, it } from 'vitest';
import { resources } from './resources';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/{{\s*(\w+)/g)].map((m) => m[1] ?? '').sort();
}

function leaf(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], value);
}

describe('locales', () => {
  const en = resources.en;
  const zh = resources['zh-CN'];
  for (const ns of Object.keys(en) as (keyof typeof en)[]) {
    it(`${ns}: every key exists in both languages`, () => {
      expect(keys(zh[ns]).sort()).toEqual(keys(en[ns]).sort());
    });
    it(`${ns}: no string is empty and both languages use the same placeholders`, () => {
      for (const key of keys(en[ns])) {
        const a = leaf(en[ns], key);
        const b = leaf(zh[ns], key);
        expect(typeof a, key).toBe('string');
        expect(typeof b, key).toBe('string');
        expect((a as string).trim(), key).not.toBe('');
        expect((b as string).trim(), key).not.toBe('');
        expect(placeholders(b as string), key).toEqual(placeholders(a as string));
      }
    });
  }
});
