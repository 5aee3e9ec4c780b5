import type { TokenPair } from '../contracts/users.js';

/** What the client remembers between calls and, with a lasting storage, between app starts. */
export interface StoredSession {
  tokens?: TokenPair;
  /** The guest cart's token, until the cart is merged at sign-in or found gone. */
  guestCartToken?: string;
}

/**
 * Where the client keeps its session. Each method may answer at once or with a promise, so React
 * Native's AsyncStorage or a secure store fits as well as localStorage.
 */
export interface TokenStorage {
  get(): StoredSession | undefined | Promise<StoredSession | undefined>;
  set(session: StoredSession): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** The default: the session lives as long as the client object. */
export function memoryTokenStorage(): TokenStorage {
  let kept: StoredSession | undefined;
  return {
    get: () => kept,
    set: (session) => {
      kept = session;
    },
    clear: () => {
      kept = undefined;
    },
  };
}

/** The subset of the Web Storage API used, so sessionStorage or a stand-in fits too. */
export interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A browser session that survives reloads, under one key of `localStorage` (or another Web Storage). */
export function localStorageTokens(
  key = 'escalable-shop.session',
  storage: WebStorage = globalThis.localStorage,
): TokenStorage {
  return {
    get: () => {
      const saved = storage.getItem(key);
      if (saved === null) return undefined;
      try {
        return JSON.parse(saved) as StoredSession;
      } catch {
        // Written by something else under our key: start signed out rather than fail every call.
        return undefined;
      }
    },
    set: (session) => storage.setItem(key, JSON.stringify(session)),
    clear: () => storage.removeItem(key),
  };
}
