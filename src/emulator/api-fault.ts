/**
 * An error the emulated service answers with. The body has the service's shape,
 * `{code, reason, message, metadata}`, where `code` repeats the HTTP status (as the
 * service's framework does). Not-found and validation errors are HTTP 400.
 */
export class ApiFault extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiFault';
  }

  toBody(): ErrorBody {
    return { code: this.status, reason: this.reason, message: this.message, metadata: {} };
  }
}

export interface ErrorBody {
  code: number;
  reason: string;
  message: string;
  metadata: Record<string, string>;
}

export const invalidParam = (message: string) => new ApiFault(400, 'VALIDATOR_PARAM', message);
export const badRequest = (message: string) => new ApiFault(400, 'REQUEST', message);
export const endpointNotFound = (id: string) => new ApiFault(400, 'SERVERLESS_ENDPOINT_NOT_FOUND', `endpoint ${id} not found`);
