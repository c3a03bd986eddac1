import { env } from '@/config/env';

// The access token lives in localStorage so a reload keeps the session.
// Storage can be unavailable (privacy modes); then there is simply no token.

export function getToken(): string | null {
  try {
    return window.localStorage.getItem(env.tokenStorageKey);
  } catch {
    return null;
  }
}

export function setToken(token: string): void {
  window.localStorage.setItem(env.tokenStorageKey, token);
}

export function clearToken(): void {
  window.localStorage.removeItem(env.tokenStorageKey);
}
