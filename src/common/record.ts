/** A plain JSON object (not null, not an array): what `typeof x === 'object'` alone does not tell. */
export const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The value as a record, or undefined: for reading documents that may not have the expected shape. */
export const asRecord = (value: unknown): Record<string, unknown> | undefined => (isRecord(value) ? value : undefined);
