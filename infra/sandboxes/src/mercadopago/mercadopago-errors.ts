/** An error as MercadoPago's REST API answers it: `{ message, error, status, cause: [{ code, description, data }] }`. */
export class MercadoPagoApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly causeCode: number | string,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      error: this.error,
      status: this.status,
      cause: [{ code: this.causeCode, description: this.message, data: null }],
    };
  }
}

export const missingTokenError = () =>
  new MercadoPagoApiError(401, 'unauthorized', 'Must provide your access_token to proceed', 5);

export const invalidTokenError = () =>
  new MercadoPagoApiError(401, 'unauthorized', 'invalid access token', 401);

export const paymentNotFoundError = () =>
  new MercadoPagoApiError(404, 'not_found', 'Payment not found', 2000);

export const preferenceNotFoundError = (id: string) =>
  new MercadoPagoApiError(404, 'not_found', `preference ${id} not found`, 'not_found');

export const resourceNotFoundError = (path: string) =>
  new MercadoPagoApiError(404, 'not_found', `resource ${path} not found`, 'not_found');

export const badRequestError = (code: number | string, message: string) =>
  new MercadoPagoApiError(400, 'bad_request', message, code);

const FAILURE_MESSAGES: Record<number, [error: string, message: string]> = {
  429: ['too_many_requests', 'Too many requests'],
  500: ['internal_error', 'Internal server error'],
  503: ['service_unavailable', 'Service unavailable'],
};

export function simulatedFailure(status: 429 | 500 | 503): MercadoPagoApiError {
  const [error, message] = FAILURE_MESSAGES[status]!;
  return new MercadoPagoApiError(status, error, message, error);
}
