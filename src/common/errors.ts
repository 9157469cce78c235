/**
 * The few typed errors of ppio-deploy. Stages throw them; the CLI entry catches them once
 * and maps them to an exit code and a message. Anything else is a bug and is reported as
 * one (with a stack trace only under --debug).
 */
import type { Diagnostic } from './diagnostic.js';

export abstract class PpioError extends Error {
  abstract readonly exitCode: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad command line: unknown flag value, missing argument, conflicting options. */
export class UsageError extends PpioError {
  readonly exitCode = 1;
}

/** User input (config, specs) that failed validation; carries the located diagnostics. */
export class InputError extends PpioError {
  readonly exitCode = 1;
  constructor(
    readonly diagnostics: Diagnostic[],
    message = `${diagnostics.filter((d) => d.severity === 'error').length} problem(s) in the input`,
  ) {
    super(message);
  }
}

/** The PPIO API refused or failed a call. `reason` is the API's own reason string. */
export class ApiError extends PpioError {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly reason: string | undefined,
    readonly operation: string,
    /**
     * The request may have reached the server and been acted on, but its response was lost
     * (connection cut, response timeout, gateway error). For a create: look before creating again.
     */
    readonly responseLost: boolean = false,
  ) {
    super(message);
  }
  get isNotFound(): boolean {
    return this.reason === 'SERVERLESS_ENDPOINT_NOT_FOUND' || this.reason === 'RESOURCE_NOT_FOUND';
  }
}

/** The lockfile cannot be read, parsed, locked or written. It is never overwritten then. */
export class LockfileError extends PpioError {
  readonly exitCode = 1;
}

/** A saved plan no longer matches the specs, the lockfile or the live state. */
export class StalePlanError extends PpioError {
  readonly exitCode = 1;
}

/** An operation the user did not allow (delete without --allow-delete, declined prompt). */
export class RefusedError extends PpioError {
  readonly exitCode = 1;
}

/** Ends the command with a specific exit code without an error message (e.g. 2 for pending changes). */
export class ExitError extends PpioError {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}

/**
 * A spec not in the lockfile matches several live endpoints (same appName, or same name),
 * so the planner cannot tell which one to adopt. Nothing is changed.
 */
export class AmbiguousAdoptionError extends PpioError {
  readonly exitCode = 1;
  constructor(
    readonly endpointName: string,
    readonly candidateIds: readonly string[],
    matchedBy: 'appName' | 'name',
  ) {
    super(
      `cannot tell which live endpoint "${endpointName}" is: ${candidateIds.length} endpoints not in the lockfile have its ${matchedBy} ` +
        `(${candidateIds.join(', ')}). Record the right one with \`ppio-deploy import ${endpointName} ID\` ` +
        `(e.g. \`ppio-deploy import ${endpointName} ${candidateIds[0] ?? 'ID'}\`), or delete the extra endpoints.`,
    );
  }
}
