/**
 * Why a send did not happen. A temporary failure (the provider or user-service unreachable or busy)
 * is tried again later; a permanent one (an address the provider refuses) would fail the same way
 * every time, so the delivery fails at once.
 */
export class DeliveryFailure extends Error {
  override name = 'DeliveryFailure';

  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const temporaryFailure = (message: string, cause?: unknown) =>
  new DeliveryFailure(message, false, { cause });
export const permanentFailure = (message: string, cause?: unknown) =>
  new DeliveryFailure(message, true, { cause });
