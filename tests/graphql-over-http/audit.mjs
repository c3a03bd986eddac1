// The GraphQL-over-HTTP audit of graphql-http (the specification's reference implementation)
// against a running server: `node audit.mjs http://127.0.0.1:8000/graphql`.
// Prints one JSON array of {id, name, status, reason}; status is "ok", or for a failed audit
// "error" (a MUST), "warn" (a SHOULD) or "notice" (a MAY). Exits 0 whatever the results:
// tests/backend/graphql/test_http_audit.py judges them.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}
const results = await auditServer({ url });
async function describe(result) {
  if (result.status === 'ok') return null;
  let body;
  try {
    body = (await result.response.text()).slice(0, 300);
  } catch {
    body = '(body already read by the audit)';
  }
  return `${result.reason} (HTTP ${result.response.status}: ${body})`;
}

const report = await Promise.all(
  results.map(async (result) => ({
    id: result.id,
    name: result.name,
    status: result.status,
    reason: await describe(result),
  })),
);
console.log(JSON.stringify(report));
