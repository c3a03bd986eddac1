import { describe, expect, it } from 'vitest';
import { databaseId } from './global-id';

describe('databaseId', () => {
  it('finds the database id inside a global id, and leaves anything else as it is', () => {
    expect(databaseId(btoa('SeckillEvent:42'))).toBe('42');
    expect(databaseId(btoa('SeckillEvent'))).toBe(btoa('SeckillEvent'));
    expect(databaseId('not base64!')).toBe('not base64!');
  });
});
