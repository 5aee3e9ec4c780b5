import type { PasswordHasher } from './passwords.js';
import type { SessionSettings } from './sessions.js';
import type { LoginThrottle, RegistrationThrottle } from './throttles.js';

/** What the sign-up, sign-in and password stories need besides the database; built once in app.ts. */
export interface AccountDependencies {
  sessions: SessionSettings;
  loginThrottle: LoginThrottle;
  registrationThrottle: RegistrationThrottle;
  hasher: PasswordHasher;
}
