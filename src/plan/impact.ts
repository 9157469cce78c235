/**
 * Impact classes: what a change does to an endpoint's traffic. A change takes the most
 * disruptive class of its fields, in IMPACT_ORDER:
 * none < metadata < scaling < rollout < new-endpoint < destroy.
 */
import { REPLACE_FIELDS } from '../schema/endpoint-config.js';
import { IMPACT_ORDER, type Action, type FieldDiff, type Impact } from './types.js';

/** workerConfig fields the platform applies by rescaling, without restarting workers. */
const SCALING_WORKER_FIELDS = new Set(['minNum', 'maxNum', 'freeTimeout', 'maxConcurrent', 'requestTimeout']);
const REPLACE_FIELD_SET: ReadonlySet<string> = new Set(REPLACE_FIELDS);

const topLevelField = (path: string): string => path.split('/')[1] ?? '';

/** The impact of one changed field. Anything not known to be lighter counts as a rollout. */
function classifyField(path: string): Impact {
  const [, top = '', sub = ''] = path.split('/');
  if (REPLACE_FIELD_SET.has(top)) return 'new-endpoint';
  if (top === 'name') return 'metadata';
  if (top === 'policy') return 'scaling';
  if (top === 'workerConfig' && SCALING_WORKER_FIELDS.has(sub)) return 'scaling';
  return 'rollout';
}

const mostDisruptive = (impacts: Iterable<Impact>): Impact => {
  let rank = 0;
  for (const impact of impacts) rank = Math.max(rank, IMPACT_ORDER.indexOf(impact));
  return IMPACT_ORDER[rank] ?? 'none';
};

export function impactOf(action: Action, fields: readonly FieldDiff[]): Impact {
  switch (action) {
    case 'create':
    case 'replace':
      return 'new-endpoint';
    case 'delete':
      return 'destroy';
    case 'noop':
    case 'forget':
      return 'none';
    case 'update':
    case 'move':
    case 'adopt':
      return mostDisruptive(fields.map((field) => classifyField(field.path)));
  }
}

/** The immutable fields (REPLACE_FIELDS) among the diffs, in REPLACE_FIELDS order. */
export function replaceReasons(fields: readonly FieldDiff[]): string[] {
  const changed = new Set(fields.map((field) => topLevelField(field.path)));
  return REPLACE_FIELDS.filter((field) => changed.has(field));
}
