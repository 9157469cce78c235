/**
 * `export`: live endpoints made in the console become specs and lockfile entries, so that the
 * next plan shows no changes. Pure: live endpoints, the lockfile and the project's specs in,
 * an ExportPlan out; the caller renders, validates and writes the files.
 */
import type { LiveEndpoint } from '../schema/live-endpoint.js';
import { UsageError } from '../common/errors.js';
import { appendPointer } from '../common/json-pointer.js';
import { isRecord } from '../common/record.js';
import { literalTemplateText } from '../common/template.js';
import type { Lockfile } from '../lockfile/types.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import { isSecretEnvKey } from '../common/secrets.js';
import { isReservedName } from '../schema/index.js';
import type { ExportedEndpoint, ExportPlan, SecretVariable, SkippedEndpoint } from './types.js';

export interface ExportInput {
  live: readonly LiveEndpoint[];
  lockfile: Lockfile;
  /** Endpoint ids asked for; empty: every live endpoint the lockfile does not record. */
  ids: readonly string[];
  /** The project's specs: their names, and their appNames with the spec that holds each. */
  specNames: ReadonlySet<string>;
  specAppNames: ReadonlyMap<string, string>;
  /** The folder the files go into, relative to the project root ('' for the root). */
  folder: string;
  /** Ids the project's other environments record: theirs, never exported here. */
  managedElsewhere?: ReadonlySet<string>;
  /** Endpoints to leave out of an export of every unmanaged one (id → why), e.g. values a spec cannot hold. */
  leaveOut?: ReadonlyMap<string, string>;
}

const MAX_NAME_LENGTH = 220;
const ENV_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function planExport(input: ExportInput): ExportPlan {
  const { chosen, skipped } = chooseEndpoints(input);
  const names = new NameAllocator(input);
  const files = new Set<string>();
  const secrets = new SecretNamer();
  const endpoints = chosen.map((live): ExportedEndpoint => {
    const name = names.allocate(live);
    const file = uniqueFile(input.folder, name, live.id, files);
    const placeholders = new Set<string>();
    const envs = live.config.envs.map(({ key, value }, index) => {
      if (!isSecretValue(key, value)) return { key, value };
      placeholders.add(`/envs/${index}/value`);
      return { key, value: `\${env:${secrets.variableFor(name, key, value)}}` };
    });
    const applied: EndpointConfig = { ...structuredClone(live.config), name, envs };
    return { name, id: live.id, url: live.url, file, spec: literalSpec(applied, placeholders), applied };
  });
  return { endpoints, variables: secrets.variables(), skipped };
}

/** The endpoints asked for, or every unmanaged one; ids that cannot be exported are errors, others are skipped. */
function chooseEndpoints({ live, lockfile, ids, specAppNames, leaveOut, managedElsewhere = new Set() }: ExportInput): {
  chosen: LiveEndpoint[];
  skipped: SkippedEndpoint[];
} {
  const recordedAs = new Map(Object.entries(lockfile.endpoints).map(([name, entry]) => [entry.id, name]));
  const problem = (endpoint: LiveEndpoint): string | undefined => {
    const recorded = recordedAs.get(endpoint.id);
    if (recorded !== undefined) return `it is already managed as "${recorded}"`;
    if (managedElsewhere.has(endpoint.id)) return 'another environment of this project manages it';
    // Its config is a placeholder: a spec made from it would change the endpoint on the next apply.
    if (endpoint.unreadable !== undefined)
      return `its configuration could not be read (${endpoint.unreadable}); write its spec by hand and \`ppio-deploy import\` it`;
    const claimant = endpoint.config.appName === undefined ? undefined : specAppNames.get(endpoint.config.appName);
    if (claimant !== undefined)
      return `the spec "${claimant}" already has its appName; record it with \`ppio-deploy import ${claimant} ${endpoint.id}\``;
    return leaveOut?.get(endpoint.id);
  };
  if (ids.length === 0) {
    const isUnmanaged = (endpoint: LiveEndpoint) => !recordedAs.has(endpoint.id) && !managedElsewhere.has(endpoint.id);
    const candidates = live.filter((endpoint) => isUnmanaged(endpoint) && endpoint.state.state.toLowerCase() !== 'terminating');
    const skipped = candidates.flatMap((endpoint) => {
      const reason = problem(endpoint);
      return reason === undefined ? [] : [{ id: endpoint.id, name: endpoint.config.name, reason }];
    });
    return { chosen: candidates.filter((endpoint) => problem(endpoint) === undefined), skipped };
  }
  const byId = new Map(live.map((endpoint) => [endpoint.id, endpoint]));
  const chosen = [...new Set(ids)].map((id) => {
    const endpoint = byId.get(id);
    if (!endpoint) throw new UsageError(`the account has no endpoint ${id}; \`ppio-deploy status\` lists the ones that are not managed`);
    const reason = problem(endpoint);
    if (reason !== undefined) throw new UsageError(`cannot export ${id}: ${reason}`);
    return endpoint;
  });
  return { chosen, skipped: [] };
}

/**
 * Spec names are unique in the project and in the lockfile. The live name is kept when it can
 * be one; otherwise the appName (unique in the account), else a name made from the id.
 */
class NameAllocator {
  private readonly taken: Set<string>;

  constructor(input: ExportInput) {
    this.taken = new Set([...input.specNames, ...Object.keys(input.lockfile.endpoints)]);
  }

  allocate(live: LiveEndpoint): string {
    const candidates = [live.config.name, live.config.appName, `endpoint-${live.id}`];
    const name =
      candidates.find((candidate): candidate is string => candidate !== undefined && this.isFree(candidate)) ??
      `endpoint-${live.id}-${this.taken.size}`;
    this.taken.add(name);
    return name;
  }

  private isFree(name: string): boolean {
    return name.length > 0 && name.length <= MAX_NAME_LENGTH && !name.includes('${') && !isReservedName(name) && !this.taken.has(name);
  }
}

/**
 * Each secret-looking env value becomes `${env:KEY}`. Where endpoints hold different values
 * under one key, each after the first gets its own variable (`KEY_<ENDPOINT>`), so that
 * setting the listed variables reproduces every endpoint exactly. Values are compared here,
 * in memory, and never kept in what this returns.
 */
class SecretNamer {
  private readonly valueOf = new Map<string, string>();
  private readonly users = new Map<string, SecretVariable>();

  variableFor(endpointName: string, key: string, value: string): string {
    const base = asVariableName(key);
    const variable =
      this.valueOf.has(base) && this.valueOf.get(base) !== value
        ? this.freeVariant(`${base}_${asVariableName(endpointName).toUpperCase()}`, value)
        : base;
    this.valueOf.set(variable, value);
    const entry = this.users.get(variable) ?? { variable, key, endpoints: [] };
    if (!entry.endpoints.includes(endpointName)) entry.endpoints.push(endpointName);
    this.users.set(variable, entry);
    return variable;
  }

  variables(): SecretVariable[] {
    return [...this.users.values()].sort((a, b) => (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0));
  }

  private freeVariant(candidate: string, value: string): string {
    let variable = candidate;
    for (let n = 2; this.valueOf.has(variable) && this.valueOf.get(variable) !== value; n++) variable = `${candidate}_${n}`;
    return variable;
  }
}

/** A value under a secret-looking key (the rule `validate` warns with) is never written; an empty one is no secret. */
const isSecretValue = (key: string, value: string): boolean => value !== '' && isSecretEnvKey(key);

/** A name `${env:…}` accepts: letters, digits and `_`, not starting with a digit. */
function asVariableName(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_');
  return ENV_VARIABLE.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** `<folder>/<name>.yaml`, with the name made safe as a file name and unique among this export's files. */
function uniqueFile(folder: string, name: string, id: string, files: Set<string>): string {
  const stem =
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 100) || id;
  let file = joinPath(folder, `${stem}.yaml`);
  if (files.has(file)) file = joinPath(folder, `${stem}-${id}.yaml`);
  files.add(file);
  return file;
}

const joinPath = (folder: string, file: string): string => (folder === '' ? file : `${folder}/${file}`);

/** Every string written so that it reads back as itself, except the `${env:…}` placeholders at `placeholders`. */
function literalSpec(applied: EndpointConfig, placeholders: ReadonlySet<string>): EndpointConfig {
  const literal = (value: unknown, pointer: string): unknown => {
    if (typeof value === 'string') return placeholders.has(pointer) ? value : literalTemplateText(value);
    if (Array.isArray(value)) return value.map((item, index) => literal(item, appendPointer(pointer, index)));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, literal(item, appendPointer(pointer, key))]));
    return value;
  };
  return literal(applied, '') as EndpointConfig;
}
