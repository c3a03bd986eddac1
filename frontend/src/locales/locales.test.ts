import { describe, expect, it } from 'vitest';
import { resources } from './resources';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

// Plural forms differ by language (English: _one and _other; Chinese: _other only): compare the
// keys without the plural suffix, and each form with the other language's _other where it has none.
const PLURAL = /_(zero|one|two|few|many|other)$/;
const baseKeys = (value: unknown) => [...new Set(keys(value).map((key) => key.replace(PLURAL, '')))].sort();

function placeholders(text: string): string[] {
  return [...text.matchAll(/{{\s*(\w+)/g)].map((m) => m[1] ?? '').sort();
}

function leaf(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], value);
}

/** The same key in the other language, or its _other form when that language has no such plural form. */
function counterpart(value: unknown, path: string): unknown {
  return leaf(value, path) ?? leaf(value, path.replace(PLURAL, '_other'));
}

describe('locales', () => {
  const en = resources.en;
  const zh = resources['zh-CN'];
  for (const ns of Object.keys(en) as (keyof typeof en)[]) {
    it(`${ns}: every key exists in both languages`, () => {
      expect(baseKeys(zh[ns])).toEqual(baseKeys(en[ns]));
    });
    it(`${ns}: no string is empty and both languages use the same placeholders`, () => {
      for (const key of [...keys(en[ns]), ...keys(zh[ns])]) {
        const a = counterpart(en[ns], key);
        const b = counterpart(zh[ns], key);
        expect(typeof a, key).toBe('string');
        expect(typeof b, key).toBe('string');
        expect((a as string).trim(), key).not.toBe('');
        expect((b as string).trim(), key).not.toBe('');
        expect(placeholders(b as string), key).toEqual(placeholders(a as string));
      }
    });
  }
});
