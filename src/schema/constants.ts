// Plain values shared by the schema definition and the runtime (which must not load
// TypeBox: it is only needed to generate schemas/).
export const SCHEMA_BASE_URL = 'https://ppio-deploy.dev/schemas';

/** Ports the platform uses internally; the create API refuses them. */
export const RESERVED_PORTS = [2222, 2223, 2224] as const;

export const APP_NAME_PATTERN = '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$';

/** 1–65535 written as digits, without leading zeros. */
export const PORT_DIGITS_PATTERN =
  '^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$';
