import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../src/common/errors.js';
import { assemblePlan, narrowPlan, type Plan } from '../../src/plan/index.js';
import { desiredEndpoint, endpointConfig, lockEntry, lockfileOf } from './fixtures.js';

/** Three specs to create and one recorded endpoint without a spec (a delete), offline. */
function fourChanges(): Plan {
  const desired = ['llm-small', 'llm-large', 'sdxl'].map((name) => desiredEndpoint(name));
  return assemblePlan({ desired, lockfile: lockfileOf({ whisper: lockEntry('aaaaaaaaaaaaaaaa', endpointConfig('whisper')) }) });
}

const names = (plan: Plan) => plan.changes.map((change) => `${change.action} ${change.name}`);

describe('narrowPlan (--target)', () => {
  it('keeps only the changes of the named specs and counts only them', () => {
    const plan = narrowPlan(fourChanges(), ['sdxl']);
    expect(names(plan)).toEqual(['create sdxl']);
    expect(plan.summary).toMatchObject({ create: 1, delete: 0 });
  });

  it('takes globs and several targets, and reaches a recorded endpoint without a spec', () => {
    expect(names(narrowPlan(fourChanges(), ['llm-*', 'whisper']))).toEqual(['create llm-large', 'create llm-small', 'delete whisper']);
  });

  it('leaves the plan whole without targets', () => {
    expect(narrowPlan(fourChanges(), [])).toEqual(fourChanges());
  });

  it('refuses a target that matches nothing, naming it and the names there are', () => {
    const narrow = () => narrowPlan(fourChanges(), ['sdxl', 'sdlx', 'gpt-*']);
    expect(narrow).toThrow(UsageError);
    expect(narrow).toThrow('--target "sdlx", "gpt-*" matches no spec and no endpoint in the lockfile (names: llm-large, llm-small, sdxl, whisper)');
  });
});
