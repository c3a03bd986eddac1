// The build's counterpart of the client preset's babel plugin
// (https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size):
// `graphql(`query Foo …`)` becomes an import of `FooDocument` alone, so a page's chunk carries its
// own documents instead of every document of the app (src/gql/gql.ts maps them all, ~90 KB
// gzipped). Each document is a module of its own, cut from src/gql/graphql.ts, because a module
// is never split between chunks: from graphql.ts itself the shop would load the console's
// documents too. The result is codegen's object cut to what the app uses at run time (`skeletonOf`):
// the client sends the document's id, never its text (src/lib/trusted-documents.ts), so the
// selections stay out of the bundle. Build only: tests and the dev server keep the generated `graphql()`.
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { skeletonOf } from './document-skeleton.ts';

const PREFIX = 'virtual:gql-document/';
const RESOLVED = '\0gql-document/';
// A `graphql()` call with one template literal (no `${}`), as every document of the app is written.
const CALL = /\bgraphql\(\s*`((?:[^`$]|\$(?!\{))*)`\s*\)/g;
const DEFINITION = /\b(query|mutation|subscription|fragment)\s+([_A-Za-z]\w*)/;

/** The generated export for a document's text: `FooDocument` for an operation, `FooFragmentDoc` for a fragment. */
export function exportNameOf(text: string): string {
  const found = DEFINITION.exec(text);
  if (!found) throw new Error(`gql-documents: no named definition in graphql(\`${text.slice(0, 80)}…\`)`);
  const [, kind, name] = found;
  return kind === 'fragment' ? `${name}FragmentDoc` : `${name}Document`;
}

/** Each `export const <Name> = {…} as unknown as DocumentNode<…>;` line of graphql.ts, by name. */
export function documentsOf(generated: string): Map<string, string> {
  const documents = new Map<string, string>();
  for (const [, name, json] of generated.matchAll(
    /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm,
  )) {
    if (name && json) documents.set(name, json);
  }
  return documents;
}

/** `code` with each `graphql(`…`)` call replaced by an import of its document alone; null if it has none. */
export function rewriteCalls(code: string): string | null {
  const imports = new Map<string, string>();
  const rewritten = code.replace(CALL, (_call, text: string) => {
    const name = exportNameOf(text);
    const local = `__gql_${name}`;
    imports.set(local, `import ${local} from '${PREFIX}${name}';`);
    return local;
  });
  // A call left over (one with `${}`) would bring back the map of every document: refuse it.
  if (/\bgraphql\(\s*`/.test(rewritten)) {
    throw new Error('gql-documents: write each graphql(`…`) document as one literal, without ${}');
  }
  return imports.size ? [...imports.values(), rewritten].join('\n') : null;
}

export function gqlDocuments(generatedFile: string): Plugin {
  let documents: Map<string, string> | undefined;
  const load = () => (documents ??= documentsOf(readFileSync(generatedFile, 'utf8')));
  return {
    name: 'flashmart-gql-documents',
    apply: 'build',
    enforce: 'pre',
    resolveId(id) {
      return id.startsWith(PREFIX) ? RESOLVED + id.slice(PREFIX.length) : null;
    },
    load(id) {
      if (!id.startsWith(RESOLVED)) return null;
      const name = id.slice(RESOLVED.length);
      const json = load().get(name);
      if (!json) throw new Error(`gql-documents: ${name} is not in ${generatedFile}; run npm run codegen`);
      return `export default ${JSON.stringify(skeletonOf(JSON.parse(json) as object))};`;
    },
    transform(code, id) {
      if (!/\/src\/.*\.tsx?$/.test(id) || id.includes('/src/gql/') || !code.includes('graphql(')) return null;
      const rewritten = rewriteCalls(code);
      return rewritten === null ? null : { code: rewritten, map: null };
    },
  };
}
