import { describe, expect, it } from 'vitest';
import { codeByPackage, decodeSegment, packageOf, packages } from './chunk-packages.mjs';

describe('chunk-packages', () => {
  it('decodes source-map segments and names packages', () => {
    expect(decodeSegment('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeSegment('KACA')).toEqual([5, 0, 1, 0]);
    expect(decodeSegment('D')).toEqual([-1]);
    expect(packageOf('../node_modules/antd/es/button/index.js')).toBe('antd');
    expect(packageOf('../node_modules/@urql/core/dist/urql-core.mjs')).toBe('@urql/core');
    expect(packageOf('../../src/main.tsx')).toBe('app');
    expect(packageOf(null)).toBe('(unmapped)');
  });

  it("puts each byte of the chunk down to its source's package", () => {
    // "aaaaabbb;cc": columns 0-4 from source 0 (react), 5-7 from source 1 (ours), line 2 from source 0.
    const map = { sources: ['../node_modules/react/index.js', '../src/app.tsx'], mappings: 'AAAA,KCAA;ADCA' };
    const parts = codeByPackage('aaaaabbb\ncc', map);
    expect(Object.fromEntries(parts)).toEqual({ react: 'aaaaacc', app: 'bbb' });
    const rows = packages('aaaaabbb\ncc', map);
    expect(rows.map((row) => [row.name, row.bytes])).toEqual([
      ['react', 7],
      ['app', 3],
    ]);
  });
});
