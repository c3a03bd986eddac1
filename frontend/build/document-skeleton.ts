// The part of a generated GraphQL document the built app keeps (build/gql-documents.ts). No
// imports: src/lib/trusted-documents.test.ts runs the client with it.

interface DefinitionNode {
  kind: string;
  operation?: string;
  name?: { kind: 'Name'; value: string };
  typeCondition?: unknown;
}

/**
 * What the built app needs of a generated document: its `__meta__.documentId` (sent instead of
 * the text) and its operation's kind, type and name (urql reads the operation's type and name,
 * and prints the document once to key its cache), with an empty selection set; a fragment's
 * document keeps its fragment the same way. The
 * selections themselves, most of a document's size, are only needed by a server given the text.
 */
export function skeletonOf<T extends object>(generated: T): T {
  const document = generated as unknown as { __meta__?: unknown; kind: string; definitions: DefinitionNode[] };
  // An operation's document also carries the fragments it spreads: with no selections they are dead weight.
  const operations = document.definitions.filter((definition) => definition.kind === 'OperationDefinition');
  const skeleton = {
    __meta__: document.__meta__,
    kind: document.kind,
    definitions: (operations.length ? operations : document.definitions).map(({ kind, operation, name, typeCondition }) => ({
      kind,
      ...(operation === undefined ? {} : { operation }),
      ...(name === undefined ? {} : { name }),
      ...(typeCondition === undefined ? {} : { typeCondition }),
      selectionSet: { kind: 'SelectionSet', selections: [] },
    })),
  };
  return skeleton as unknown as T;
}
