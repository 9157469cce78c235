import { describe, expect, it } from '@jest/globals';
import { cloneJson } from '../../src/common/record.js';

describe('cloneJson', () => {
  it('copies a JSON value deeply: changing the copy leaves the original as it was', () => {
    const original = { name: 'a', workerConfig: { minNum: 0, maxNum: 2 }, envs: [{ key: 'K', value: 'v' }], port: null, on: true };
    const copy = cloneJson(original);
    expect(copy).toEqual(original);
    copy.workerConfig.maxNum = 9;
    (copy.envs[0] as { value: string }).value = 'changed';
    expect(original.workerConfig.maxNum).toBe(2);
    expect(original.envs[0]?.value).toBe('v');
  });

  it('keeps a `__proto__` key as a key, never as the prototype', () => {
    const original = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = cloneJson(original);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(original));
  });
});
