import { bodyOf, type ApiTransport, type CallOptions } from '../../http/api-transport.js';
import type { LoginRequest, RegisterRequest, Session, TokenPair } from '../../contracts/users.js';
import type { SessionKeeper } from '../../session/session.js';

const REFRESH_PATH = '/api/auth/refresh';

/** /api/auth: sign-up, sign-in and the refresh-token rotation; the client keeps the tokens it gets. */
export class AuthApi {
  constructor(
    protected readonly http: ApiTransport,
    protected readonly session: SessionKeeper,
  ) {}

  async register(input: RegisterRequest, call?: CallOptions): Promise<Session> {
    const session = await bodyOf<Session>(this.http, {
      method: 'POST',
      path: '/api/auth/register',
      body: input,
      ...call,
    });
    this.session.setTokens(session.tokens);
    return session;
  }

  async login(input: LoginRequest, call?: CallOptions): Promise<Session> {
    const session = await bodyOf<Session>(this.http, {
      method: 'POST',
      path: '/api/auth/login',
      body: input,
      ...call,
    });
    this.session.setTokens(session.tokens);
    return session;
  }

  /**
   * Trades the refresh token for a new pair; the old one is spent. The client does this by itself when
   * the access token expires, sharing one refresh among concurrent calls; a call here joins that one.
   */
  async refresh(refreshToken?: string, call?: CallOptions): Promise<TokenPair> {
    const send = (token: string) =>
      bodyOf<TokenPair>(this.http, {
        method: 'POST',
        path: REFRESH_PATH,
        body: { refreshToken: token },
        ...call,
      });
    await this.session.ready();
    if (refreshToken === undefined || refreshToken === this.session.tokens?.refreshToken)
      return this.session.refreshOnce(send);
    const tokens = await send(refreshToken);
    this.session.setTokens(tokens);
    return tokens;
  }

  /** Ends the sign-in on the server (the refresh token held, by default) and forgets the tokens. */
  async logout(refreshToken?: string, call?: CallOptions): Promise<void> {
    await this.session.ready();
    const token = refreshToken ?? this.session.tokens?.refreshToken;
    if (token !== undefined)
      await this.http.request({
        method: 'POST',
        path: '/api/auth/logout',
        body: { refreshToken: token },
        ...call,
      });
    this.session.setTokens(undefined);
  }
}
