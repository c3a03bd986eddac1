/** The database id inside a global id (base64 of "SeckillEvent:7"), as the CLI takes it; the
 * global id itself when it is not one. */
export function databaseId(globalId: string): string {
  try {
    const [, id] = atob(globalId).split(':');
    return id || globalId;
  } catch {
    return globalId;
  }
}
