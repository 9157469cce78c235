/** One plan with every action, built from literals so formatter tests see exactly this model. */
import type { Plan } from '../../src/plan/index.js';

/** The plan-level fields of an online plan with nothing unmanaged and no warnings. */
export const ONLINE_PLAN = { mode: 'online', environment: null, unmanaged: [], warnings: [] } as const satisfies Partial<Plan>;

export const samplePlan: Plan = {
  formatVersion: 1,
  ...ONLINE_PLAN,
  changes: [
    {
      name: 'chat',
      action: 'update',
      id: '2f9fb35f70c5b595',
      source: 'endpoints/chat.yaml',
      impact: 'scaling',
      fields: [{ path: '/workerConfig/maxNum', before: 2, after: 4, drift: true }],
    },
    {
      name: 'embed',
      action: 'adopt',
      id: '7a7a7a7a7a7a7a7a',
      source: 'endpoints/embed.yaml',
      impact: 'none',
      fields: [],
      note: 'takes over live endpoint 7a7a7a7a7a7a7a7a (not in the lockfile, with the same appName)',
    },
    { name: 'idle', action: 'noop', id: '1111111111111111', source: 'endpoints/idle.yaml', impact: 'none', fields: [] },
    {
      name: 'gone',
      action: 'forget',
      id: '5e5e5e5e5e5e5e5e',
      source: 'endpoints/gone.yaml',
      impact: 'none',
      fields: [],
      note: 'endpoint 5e5e5e5e5e5e5e5e no longer exists live: apply only removes it from the lockfile',
    },
    {
      name: 'llm-v2',
      from: 'llm',
      action: 'move',
      id: '6f6f6f6f6f6f6f6f',
      source: 'endpoints/llm.yaml',
      impact: 'metadata',
      fields: [{ path: '/name', before: 'llm', after: 'llm-v2' }],
    },
    { name: 'old', action: 'delete', id: '3c3c3c3c3c3c3c3c', source: 'endpoints/old.yaml', impact: 'destroy', fields: [] },
    {
      name: 'sdxl',
      action: 'replace',
      id: '4d4d4d4d4d4d4d4d',
      source: 'endpoints/sdxl.yaml',
      impact: 'new-endpoint',
      fields: [
        { path: '/appName', before: 'sdxl', after: 'sdxl-turbo' },
        { path: '/envs/0/value', before: '(sensitive)', after: '(sensitive value changed)', sensitive: true },
        { path: '/envs/1', after: { key: 'MODE', value: 'fast' } },
        { path: '/image/authId', before: 'auth-1' },
      ],
    },
    {
      name: 'whisper',
      action: 'create',
      source: 'endpoints/whisper.yaml',
      impact: 'new-endpoint',
      fields: [
        { path: '/name', after: 'whisper' },
        { path: '/envs/0', after: { key: 'HF_TOKEN', value: '(sensitive)' }, sensitive: true },
      ],
    },
  ],
  summary: { create: 1, adopt: 1, update: 1, replace: 1, delete: 1, noop: 1, move: 1, forget: 1 },
};
