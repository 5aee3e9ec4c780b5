import type { HttpClient } from '../../http/client.js';
import type { LoginRequest, RegisterRequest, Session, TokenPair } from '../../contracts/users.js';

/** /api/auth: sign-up, sign-in and the refresh-token rotation. */
export class AuthApi {
  constructor(
    private readonly http: HttpClient,
    private readonly remember: (tokens: TokenPair | undefined) => void,
  ) {}

  async register(input: RegisterRequest): Promise<Session> {
    const session = await this.http.post<Session>('/api/auth/register', input);
    this.remember(session.tokens);
    return session;
  }

  async login(input: LoginRequest): Promise<Session> {
    const session = await this.http.post<Session>('/api/auth/login', input);
    this.remember(session.tokens);
    return session;
  }

  /** Trades a refresh token for a new pair; the old refresh token is spent. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const tokens = await this.http.post<TokenPair>('/api/auth/refresh', { refreshToken });
    this.remember(tokens);
    return tokens;
  }

  async logout(refreshToken: string): Promise<void> {
    await this.http.post('/api/auth/logout', { refreshToken });
    this.remember(undefined);
  }
}
