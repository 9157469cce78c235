// Plain values shared by the schema definition and the runtime (which must not load
// TypeBox: it is only needed to generate schemas/).
export const SCHEMA_BASE_URL = 'https://ppio-deploy.dev/schemas';

/** Ports the platform uses internally; the create API refuses them. */
export const RESERVED_PORTS = [2222, 2223, 2224] as const;

export const APP_NAME_PATTERN = '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$';

/** The URL host is `{id}-{appName}`, one DNS label (at most 63): 63 - 16 (id) - 1 (hyphen). */
export const APP_NAME_MAX_LENGTH = 46;

/** 1–65535 written as digits, without leading zeros. */
export const PORT_DIGITS_PATTERN = '^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$';

/** `${var:NAME}` and `vars` keys; the same names `PPIO_VAR_NAME` can carry. */
export const VARIABLE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

/** Environment names end up in file names (`ppio.<env>.lock.json`) and comment markers. */
export const ENVIRONMENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$';

/** A process environment variable's name, e.g. PPIO_API_KEY_STAGING. */
export const ENV_VAR_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

/**
 * The integer fields of a spec, as JSON pointers: a value that is exactly `${var:NAME}` there
 * is read as a whole number. A test checks this list against the generated schema.
 */
export const INTEGER_FIELD_POINTER =
  /^\/(workerConfig\/(minNum|maxNum|freeTimeout|maxConcurrent|gpuNum|requestTimeout)|policy\/value|rootfsSize|volumeMounts\/\d+\/size|ports\/\d+\/port)$/;
