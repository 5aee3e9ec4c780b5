import { problems, type ShippingAddress, type User } from '@escalable/shop-sdk';
import type { OrderDependencies } from './dependencies.js';

/** Where the order goes: an address given with the checkout, or one saved on the customer's profile. */
export type AddressChoice = { shippingAddress: ShippingAddress } | { shippingAddressIndex: number };

export async function shippingAddressOf(
  accessToken: string,
  choice: AddressChoice,
  deps: OrderDependencies,
): Promise<ShippingAddress> {
  if ('shippingAddress' in choice) return choice.shippingAddress;
  // The saved addresses are the customer's profile, which user-service shows to the customer: it is
  // read as them, with their own token.
  const { body: profile } = await deps.users.http.request<User>({
    path: '/api/users/me',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const address = profile.shippingAddresses[choice.shippingAddressIndex];
  if (!address)
    throw problems.conflict(
      'shipping-address-missing',
      `The profile has ${profile.shippingAddresses.length} saved address(es); index ${choice.shippingAddressIndex} names none`,
      { savedAddresses: profile.shippingAddresses.length },
    );
  return address;
}
