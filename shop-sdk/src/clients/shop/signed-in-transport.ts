import type { ApiRequest, ApiResponse, ApiTransport } from '../../http/api-transport.js';
import type { TokenPair } from '../../contracts/users.js';
import { Problem } from '../../problem.js';
import type { SessionKeeper } from '../../session/session.js';

const AUTH_PATHS = '/api/auth/';
const REFRESH_PATH = '/api/auth/refresh';

/**
 * Sends the held access token with every call. A 401 to a call that carried one means the token is no
 * longer accepted (expired, most often): the session is refreshed once, shared with every other call
 * that failed the same way, and the call is sent once more. A refused refresh signs the client out and
 * the caller gets the call's 401.
 */
export class SignedInTransport implements ApiTransport {
  constructor(
    private readonly transport: ApiTransport,
    private readonly session: SessionKeeper,
  ) {}

  async request<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    await this.session.ready();
    const sentWith = this.session.tokens?.accessToken;
    try {
      return await this.send<T>(request, sentWith);
    } catch (error) {
      if (!(error instanceof Problem) || error.status !== 401 || sentWith === undefined) throw error;
      // Sign-in and refresh answer 401 about the credentials sent in the body, not the access token.
      if (request.path.startsWith(AUTH_PATHS)) throw error;
      if (request.signal?.aborted) throw request.signal.reason;
      const current = await this.renewedAccessToken(sentWith, error);
      return this.send<T>(request, current);
    }
  }

  /** Refreshes the session; every 4xx to the refresh means the sign-in is over. */
  refresh(refreshToken: string): Promise<TokenPair> {
    return this.transport
      .request<TokenPair>({ method: 'POST', path: REFRESH_PATH, body: { refreshToken } })
      .then((answer) => answer.body);
  }

  private async renewedAccessToken(sentWith: string, unauthorized: Problem): Promise<string> {
    const held = this.session.tokens?.accessToken;
    // Another call refreshed while this one was out: its new token is the one to retry with.
    if (held !== undefined && held !== sentWith) return held;
    if (this.session.tokens === undefined) throw unauthorized;
    try {
      return (await this.session.refreshOnce((token) => this.refresh(token))).accessToken;
    } catch (error) {
      if (error instanceof Problem && error.status >= 400 && error.status < 500) {
        if (this.session.tokens?.accessToken === sentWith) this.session.signOut(unauthorized);
        throw unauthorized;
      }
      throw error;
    }
  }

  private send<T>(request: ApiRequest, accessToken: string | undefined): Promise<ApiResponse<T>> {
    if (accessToken === undefined) return this.transport.request<T>(request);
    return this.transport.request<T>({
      ...request,
      headers: { authorization: `Bearer ${accessToken}`, ...request.headers },
    });
  }
}
