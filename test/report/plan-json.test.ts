import { describe, expect, it } from '@jest/globals';
import type { Plan } from '../../src/plan/index.js';
import { formatPlanJson } from '../../src/report/plan-json.js';
import { stringSink } from '../../src/report/types.js';
import { ONLINE_PLAN, samplePlan } from './plan-sample.js';

const render = (plan: Plan): string => {
  const sink = stringSink();
  formatPlanJson(plan, sink, { color: true });
  return sink.text();
};

describe('formatPlanJson', () => {
  it('prints exactly the documented `plan --format json` document', () => {
    const plan: Plan = {
      formatVersion: 1,
      ...ONLINE_PLAN,
      changes: [
        {
          name: 'sdxl-turbo',
          action: 'update',
          id: '2f9fb35f70c5b595',
          source: 'endpoints/sdxl.yaml',
          impact: 'scaling',
          fields: [{ path: '/workerConfig/maxNum', before: 2, after: 4 }],
        },
        { name: 'zz', action: 'noop', id: '1111111111111111', source: 'endpoints/zz.yaml', impact: 'none', fields: [] },
      ],
      summary: { noop: 3, delete: 0, replace: 0, update: 1, adopt: 0, create: 0, move: 0, forget: 0 },
    };
    expect(render(plan)).toBe(`{
  "formatVersion": 1,
  "mode": "online",
  "environment": null,
  "changes": [
    {
      "name": "sdxl-turbo",
      "action": "update",
      "id": "2f9fb35f70c5b595",
      "source": "endpoints/sdxl.yaml",
      "impact": "scaling",
      "guarded": false,
      "fields": [
        {
          "path": "/workerConfig/maxNum",
          "before": 2,
          "after": 4,
          "drift": false
        }
      ]
    }
  ],
  "unmanaged": [],
  "warnings": [],
  "summary": {
    "create": 0,
    "adopt": 0,
    "update": 1,
    "move": 0,
    "replace": 0,
    "delete": 0,
    "forget": 0,
    "noop": 3
  }
}
`);
  });

  it('keeps the contract keys only: no notes, no id for a create, added/removed fields without the other side', () => {
    const document = JSON.parse(render(samplePlan));
    expect(document.changes.map((c: { name: string }) => c.name)).toEqual(['chat', 'embed', 'gone', 'llm-v2', 'old', 'sdxl', 'whisper']);
    expect(Object.keys(document.changes[1])).toEqual(['name', 'action', 'id', 'source', 'impact', 'guarded', 'fields']);
    expect(Object.keys(document.changes[6])).toEqual(['name', 'action', 'source', 'impact', 'guarded', 'fields']);
    expect(document.changes.map((c: { guarded: boolean }) => c.guarded)).toEqual([false, true, false, false, true, true, false]);
    expect(document.changes[3]).toMatchObject({ action: 'move', from: 'llm', id: '6f6f6f6f6f6f6f6f' });
    expect(document.changes[0].fields).toEqual([{ path: '/workerConfig/maxNum', before: 2, after: 4, drift: true }]);
    expect(document.changes[5].fields).toEqual([
      { path: '/appName', before: 'sdxl', after: 'sdxl-turbo', drift: false },
      { path: '/envs/0/value', before: '(sensitive)', after: '(sensitive value changed)', sensitive: true, drift: false },
      { path: '/envs/1', after: { key: 'MODE', value: 'fast' }, drift: false },
      { path: '/image/authId', before: 'auth-1', drift: false },
    ]);
    expect(render(samplePlan).trim().split('\n').length).toBeGreaterThan(1);
    expect(render(samplePlan)).not.toContain('\u001b');
  });
});
