import { bodyOf, type ApiTransport, type CallOptions } from '../../http/api-transport.js';
import type { Role } from '../../auth/permissions.js';
import type { Page } from '../../contracts/common.js';
import type { PasswordChange, ProfileUpdate, User, UserListQuery } from '../../contracts/users.js';

/** /api/users: the signed-in user's profile, and user administration for admins. */
export class UsersApi {
  constructor(private readonly http: ApiTransport) {}

  me(call?: CallOptions): Promise<User> {
    return bodyOf<User>(this.http, { path: '/api/users/me', ...call });
  }

  updateMe(update: ProfileUpdate, call?: CallOptions): Promise<User> {
    return bodyOf<User>(this.http, { method: 'PATCH', path: '/api/users/me', body: update, ...call });
  }

  async changePassword(change: PasswordChange, call?: CallOptions): Promise<void> {
    await this.http.request({ method: 'POST', path: '/api/users/me/password', body: change, ...call });
  }

  list(query: UserListQuery = {}, call?: CallOptions): Promise<Page<User>> {
    return bodyOf<Page<User>>(this.http, { path: '/api/users', query: { ...query }, ...call });
  }

  setRoles(userId: string, roles: Role[], call?: CallOptions): Promise<User> {
    return bodyOf<User>(this.http, {
      method: 'PATCH',
      path: `/api/users/${encodeURIComponent(userId)}/roles`,
      body: { roles },
      ...call,
    });
  }
}
