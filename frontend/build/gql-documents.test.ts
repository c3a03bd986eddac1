import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skeletonOf } from './document-skeleton.ts';
import { documentsOf, exportNameOf, rewriteCalls } from './gql-documents.ts';

describe('gql-documents', () => {
  it('names the generated export of an operation and of a fragment', () => {
    expect(exportNameOf('\n  query FlashSaleDetail($id: ID!) { node(id: $id) { id } }')).toBe('FlashSaleDetailDocument');
    expect(exportNameOf('subscription Tick { tick }')).toBe('TickDocument');
    expect(exportNameOf('\n  fragment ProductCard on Product { id }')).toBe('ProductCardFragmentDoc');
  });

  it('replaces each graphql() call with an import of its document, once per document', () => {
    const code = [
      "import { graphql } from '@/gql';",
      'export const A = graphql(`\n  query Cart($first: Int!) { cart { id } }\n`);',
      'export const B = graphql(`mutation AddToCart { addToCart { ok } }`);',
      'export const C = graphql(`query Cart($first: Int!) { cart { id } }`);',
    ].join('\n');
    const out = rewriteCalls(code);
    expect(out).toContain("import __gql_CartDocument from 'virtual:gql-document/CartDocument';");
    expect(out).toContain("import __gql_AddToCartDocument from 'virtual:gql-document/AddToCartDocument';");
    expect(out?.match(/virtual:gql-document\/CartDocument/g)).toHaveLength(1);
    expect(out).toContain('export const A = __gql_CartDocument;');
    expect(out).toContain('export const C = __gql_CartDocument;');
    expect(out).not.toMatch(/graphql\(/);
    expect(rewriteCalls('const x = 1;')).toBeNull();
  });

  it('refuses a document with an interpolation, which it could not name', () => {
    const code = 'const F = "fragment F on X { id }";\nexport const A = graphql(`query A { a { ...F } } ${F}`);';
    expect(() => rewriteCalls(code)).toThrow(/without \$\{\}/);
  });

  it('cuts every document of the generated graphql.ts, the one graphql() can return', () => {
    const generated = readFileSync(resolve(import.meta.dirname, '../src/gql/graphql.ts'), 'utf8');
    const documents = documentsOf(generated);
    const exported = [...generated.matchAll(/^export const (\w+(?:Document|FragmentDoc)) = /gm)].map((m) => m[1]);
    expect([...documents.keys()].sort()).toEqual(exported.sort());
    for (const json of documents.values()) expect(JSON.parse(json)).toHaveProperty('kind', 'Document');
    const detail = documents.get('FlashSaleDetailDocument');
    expect(detail && JSON.parse(detail)).toHaveProperty('__meta__.documentId', expect.stringMatching(/^sha256:/));
  });

  it('keeps of a document its id and its operation, without selections or fragments', () => {
    const generated = readFileSync(resolve(import.meta.dirname, '../src/gql/graphql.ts'), 'utf8');
    const detail = JSON.parse(documentsOf(generated).get('FlashSaleDetailDocument') ?? '{}') as {
      __meta__: { documentId: string };
    };
    const skeleton = skeletonOf(detail);
    expect(skeleton).toEqual({
      __meta__: { documentId: detail.__meta__.documentId },
      kind: 'Document',
      definitions: [
        {
          kind: 'OperationDefinition',
          operation: 'query',
          name: { kind: 'Name', value: 'FlashSaleDetail' },
          selectionSet: { kind: 'SelectionSet', selections: [] },
        },
      ],
    });
    expect(detail.__meta__.documentId).toMatch(/^sha256:/);
    expect(JSON.stringify(skeleton).length).toBeLessThan(JSON.stringify(detail).length / 4);
  });
});
