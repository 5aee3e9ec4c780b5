import type { TokenPair } from '../contracts/users.js';
import type { Problem } from '../problem.js';
import type { StoredSession, TokenStorage } from './token-storage.js';

/**
 * The client's memory of who is signed in and which guest cart it holds, mirrored in the storage it
 * was given. It is read from the storage once, before the first call; each change is written through,
 * and the next call waits for that write, so a storage that fails makes the next call fail, not vanish.
 */
export class SessionKeeper {
  private state: StoredSession = {};
  private loading: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private refreshing: Promise<TokenPair> | undefined;

  constructor(
    private readonly storage: TokenStorage,
    private readonly onSignedOut?: (reason: Problem) => void,
  ) {}

  /** Resolves once the stored session is read and the last change written. */
  async ready(): Promise<void> {
    await this.load();
    await this.writing;
  }

  get tokens(): TokenPair | undefined {
    return this.state.tokens;
  }

  get guestCartToken(): string | undefined {
    return this.state.guestCartToken;
  }

  setTokens(tokens: TokenPair | undefined): void {
    this.change({ ...this.state, tokens });
  }

  setGuestCartToken(guestCartToken: string | undefined): void {
    if (guestCartToken === this.state.guestCartToken) return;
    this.change({ ...this.state, guestCartToken });
  }

  /**
   * One refresh for everyone: calls that failed with the same expired token share it, since
   * user-service treats a second use of a refresh token as theft and revokes the whole sign-in.
   */
  refreshOnce(refresh: (refreshToken: string) => Promise<TokenPair>): Promise<TokenPair> {
    const refreshToken = this.state.tokens?.refreshToken;
    if (refreshToken === undefined) return Promise.reject(new Error('No refresh token is held'));
    this.refreshing ??= refresh(refreshToken)
      .then((tokens) => {
        this.setTokens(tokens);
        return tokens;
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  /** Forgets the sign-in and the guest cart, in memory and in the storage, and says so once. */
  signOut(reason: Problem): void {
    this.state = {};
    this.writing = this.writing.catch(() => {}).then(() => this.storage.clear());
    this.onSignedOut?.(reason);
  }

  /** Fields set before the storage was read win over the stored ones; the rest is kept. */
  private load(): Promise<void> {
    this.loading ??= Promise.resolve()
      .then(() => this.storage.get())
      .then((stored) => {
        this.state = { ...stored, ...this.state };
      });
    return this.loading;
  }

  private change(next: StoredSession): void {
    this.state = next;
    this.writing = this.writing
      .catch(() => {})
      .then(() => this.load())
      .then(() => this.storage.set(storedForm(this.state)));
  }
}

function storedForm(state: StoredSession): StoredSession {
  return {
    ...(state.tokens ? { tokens: state.tokens } : {}),
    ...(state.guestCartToken ? { guestCartToken: state.guestCartToken } : {}),
  };
}
