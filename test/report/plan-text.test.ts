import { describe, expect, it } from '@jest/globals';
import type { Plan } from '../../src/plan/index.js';
import { formatPlanText } from '../../src/report/plan-text.js';
import { stringSink } from '../../src/report/types.js';
import { ONLINE_PLAN, samplePlan } from './plan-sample.js';

const render = (plan: Plan, color = false): string => {
  const sink = stringSink();
  formatPlanText(plan, sink, { color });
  return sink.text();
};

const noChanges: Plan = {
  formatVersion: 1,
  ...ONLINE_PLAN,
  changes: [{ name: 'idle', action: 'noop', id: '1111111111111111', source: 'endpoints/idle.yaml', impact: 'none', fields: [] }],
  summary: { create: 0, adopt: 0, update: 0, replace: 0, delete: 0, noop: 1, move: 0, forget: 0 },
};

describe('formatPlanText', () => {
  it('renders every action Terraform-style, without colour', () => {
    expect(render(samplePlan)).toBe(
      [
        '  ~ update chat  (endpoints/chat.yaml, id 2f9fb35f70c5b595)  [scaling]',
        '      ~ /workerConfig/maxNum: 2 → 4  (drift: changed outside ppio-deploy; this reverts it)',
        '',
        ' <= adopt embed  (endpoints/embed.yaml, id 7a7a7a7a7a7a7a7a)  [none]',
        '      # needs --adopt: apply holds it back without it',
        '      # takes over live endpoint 7a7a7a7a7a7a7a7a (not in the lockfile, with the same appName)',
        '',
        '  - forget gone  (endpoints/gone.yaml, id 5e5e5e5e5e5e5e5e)  [none]',
        '      # endpoint 5e5e5e5e5e5e5e5e no longer exists live: apply only removes it from the lockfile',
        '',
        ' -> move llm -> llm-v2  (endpoints/llm.yaml, id 6f6f6f6f6f6f6f6f)  [metadata]',
        '      ~ /name: "llm" → "llm-v2"',
        '',
        '  - delete old  (endpoints/old.yaml, id 3c3c3c3c3c3c3c3c)  [destroy]',
        '      # needs --allow-delete: apply holds it back without it',
        '',
        '-/+ replace sdxl  (endpoints/sdxl.yaml, id 4d4d4d4d4d4d4d4d)  [new-endpoint]',
        '      # needs --allow-delete: apply holds it back without it',
        '      # appName cannot change in place: a new endpoint (new URL) is created first, then this one is deleted',
        '      ~ /appName: "sdxl" → "sdxl-turbo"',
        '      ~ /envs/0/value: (sensitive) → (sensitive value changed)',
        '      + /envs/1: {"key":"MODE","value":"fast"}',
        '      - /image/authId: "auth-1"',
        '',
        '  + create whisper  (endpoints/whisper.yaml)  [new-endpoint]',
        '      + /name: "whisper"',
        '      + /envs/0: {"key":"HF_TOKEN","value":(sensitive)}',
        '',
        'Plan: 1 to create, 1 to update, 1 to replace, 1 to delete, 1 to adopt, 1 to move, 1 to forget.',
        '',
      ].join('\n'),
    );
  });

  it('ends with the documented Plan line, with no adopt count when there is none', () => {
    const plan: Plan = {
      ...samplePlan,
      changes: samplePlan.changes.filter((change) => change.action === 'update'),
      summary: { create: 0, adopt: 0, update: 1, replace: 0, delete: 0, noop: 3, move: 0, forget: 0 },
    };
    expect(render(plan).endsWith('\nPlan: 0 to create, 1 to update, 0 to replace, 0 to delete.\n')).toBe(true);
  });

  it('says so when nothing changes', () => {
    expect(render(noChanges)).toBe('No changes. Endpoints match the specs.\n');
    expect(render({ ...noChanges, changes: [], summary: { ...noChanges.summary, noop: 0 } })).toBe('No changes. Endpoints match the specs.\n');
  });

  it('colours symbols only when asked: green +, yellow ~, red -', () => {
    const coloured = render(samplePlan, true);
    expect(coloured).toContain('  \u001b[33m~\u001b[39m update \u001b[1mchat\u001b[22m');
    expect(coloured).toContain('  \u001b[32m+\u001b[39m create');
    expect(coloured).toContain('  \u001b[31m-\u001b[39m delete');
    expect(coloured).toContain('\u001b[31m-\u001b[39m/\u001b[32m+\u001b[39m replace');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(render(samplePlan));
    expect(render(samplePlan)).not.toContain('\u001b');
  });

  it('cuts long values and escapes control characters in names', () => {
    const plan: Plan = {
      formatVersion: 1,
      ...ONLINE_PLAN,
      changes: [
        {
          name: 'evil\u001b[2J\nname',
          action: 'update',
          id: 'abc',
          source: 'endpoints/x.yaml',
          impact: 'rollout',
          fields: [{ path: '/image/command', before: 'a', after: 'x'.repeat(500) }],
        },
      ],
      summary: { create: 0, adopt: 0, update: 1, replace: 0, delete: 0, noop: 0, move: 0, forget: 0 },
    };
    const [header, field] = render(plan).split('\n');
    expect(header).toBe('  ~ update evil\\u001b[2J\\u000aname  (endpoints/x.yaml, id abc)  [rollout]');
    expect(field).toBe(`      ~ /image/command: "a" → "${'x'.repeat(118)}…`);
  });
});
