/**
 * Run `task` while holding the named Web Lock, shared by every tab of this origin.
 * Without the Web Locks API (old browsers, jsdom) the task simply runs.
 */
export function webLock(name: string): <T>(task: () => Promise<T>) => Promise<T> {
  return async <T>(task: () => Promise<T>): Promise<T> => {
    const locks = typeof navigator === 'undefined' ? undefined : (navigator as Partial<Navigator>).locks;
    if (!locks) return task();
    let result: T | undefined;
    await locks.request(name, async () => {
      result = await task();
    });
    return result as T;
  };
}
