import type { HttpClient } from '../../http/client.js';
import type { Role } from '../../auth/permissions.js';
import type { Page } from '../../contracts/common.js';
import type { PasswordChange, ProfileUpdate, User, UserListQuery } from '../../contracts/users.js';

/** /api/users: the signed-in user's profile, and user administration for admins. */
export class UsersApi {
  constructor(private readonly http: HttpClient) {}

  me(): Promise<User> {
    return this.http.get<User>('/api/users/me');
  }

  updateMe(update: ProfileUpdate): Promise<User> {
    return this.http.patch<User>('/api/users/me', update);
  }

  async changePassword(change: PasswordChange): Promise<void> {
    await this.http.post('/api/users/me/password', change);
  }

  list(query: UserListQuery = {}): Promise<Page<User>> {
    return this.http.get<Page<User>>('/api/users', { ...query });
  }

  setRoles(userId: string, roles: Role[]): Promise<User> {
    return this.http.patch<User>(`/api/users/${encodeURIComponent(userId)}/roles`, { roles });
  }
}
