import { apiRoutes, openApiDocument, type ApiRoute } from '@escalable/shop-sdk/server';
import { loginBody, registerBody } from './auth.js';
import { refreshTokenBody, userId } from './schemas.js';
import { passwordChange, profileUpdate, rolesBody, userListQuery } from './users.js';

const refreshToken = 'rt_2c1f0a9e7b6d4c3a8f5e1d0b9a7c6e5f';

/** user-service's public routes, described with the schemas the routes parse. */
export const USER_API: ApiRoute[] = [
  ...apiRoutes({ tag: 'Accounts', access: 'public' }, [
    {
      method: 'post',
      path: '/api/auth/register',
      summary: 'Create an account and sign in',
      body: {
        schema: registerBody,
        example: {
          email: 'ana@example.com',
          password: 'correct horse battery',
          name: 'Ana Pérez',
          locale: 'es',
        },
      },
      response: {
        status: 201,
        description: 'The new user and a token pair',
        headers: { Location: { description: 'The new user' } },
      },
      problems: [409, 429],
    },
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in with e-mail and password',
      body: { schema: loginBody, example: { email: 'ana@example.com', password: 'correct horse battery' } },
      response: { status: 200, description: 'The user and a token pair' },
      problems: [401, 429],
    },
    {
      method: 'post',
      path: '/api/auth/refresh',
      summary: 'Trade a refresh token for a new pair',
      description: 'Each refresh token works once; presenting a used one again signs out its whole family.',
      body: { schema: refreshTokenBody, example: { refreshToken } },
      response: { status: 200, description: 'A new token pair' },
      problems: [401],
    },
    {
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Sign out: revoke a refresh token',
      body: { schema: refreshTokenBody, example: { refreshToken } },
      response: { status: 204, description: 'Signed out' },
    },
  ]),
  ...apiRoutes({ tag: 'Profile', access: 'bearer' }, [
    {
      method: 'get',
      path: '/api/users/me',
      summary: 'Read the signed-in user',
      response: { status: 200, description: 'The user' },
    },
    {
      method: 'patch',
      path: '/api/users/me',
      summary: 'Change name, phone, locale or shipping addresses',
      body: {
        schema: profileUpdate,
        example: {
          phone: '+5491122334455',
          shippingAddresses: [
            {
              recipient: 'Ana Pérez',
              line1: 'Av. Corrientes 1234',
              city: 'Buenos Aires',
              postalCode: 'C1043',
              country: 'AR',
              isDefault: true,
            },
          ],
        },
      },
      response: { status: 200, description: 'The updated user' },
    },
    {
      method: 'post',
      path: '/api/users/me/password',
      summary: 'Change the password',
      body: {
        schema: passwordChange,
        example: { currentPassword: 'correct horse battery', newPassword: 'a longer new passphrase' },
      },
      response: { status: 204, description: 'Changed; other sessions are signed out' },
      problems: [403, 429],
    },
  ]),
  ...apiRoutes({ tag: 'User administration', access: 'bearer' }, [
    {
      method: 'get',
      path: '/api/users',
      summary: 'List users (admins)',
      query: userListQuery,
      response: { status: 200, description: 'A page of users' },
      problems: [403],
    },
    {
      method: 'patch',
      path: '/api/users/:id/roles',
      summary: "Set a user's roles (admins)",
      params: { id: userId },
      body: { schema: rolesBody, example: { roles: ['customer', 'admin'] } },
      response: { status: 200, description: 'The user with the new roles' },
      problems: [403, 404, 409],
    },
  ]),
];

export const userApiDocument = openApiDocument(
  {
    title: 'Escalable shop: accounts',
    version: '1.0.0',
    description: 'Sign-up, sign-in, tokens, profiles and user administration (user-service).',
  },
  USER_API,
);
