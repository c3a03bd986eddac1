// Writes the trusted documents manifest the API loads (`TRUSTED_DOCUMENTS_MANIFEST`,
// docs/security.md "Trusted documents"): `../persisted-documents.json`, every GraphQL document
// of this app by its id (`sha256:<hex>` of its text). graphql-codegen's client preset writes it
// to `src/gql/` (generated, not committed); this copies it, sorted by operation name, beside
// `../schema.graphql`, where it is committed. Run by `npm run codegen`, after the codegen.
import { readFileSync, writeFileSync } from 'node:fs';

const source = new URL('../src/gql/persisted-documents.json', import.meta.url);
const target = new URL('../../persisted-documents.json', import.meta.url);

const documents = JSON.parse(readFileSync(source, 'utf8'));
const operationName = (text) => /(?:query|mutation|subscription)\s+(\w+)/.exec(text)?.[1] ?? '';
const entries = Object.entries(documents).sort(
  ([idA, a], [idB, b]) => operationName(a).localeCompare(operationName(b)) || idA.localeCompare(idB),
);
writeFileSync(target, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`);
