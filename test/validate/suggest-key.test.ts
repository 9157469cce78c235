import { describe, expect, it } from '@jest/globals';
import { editDistance, suggestKey } from '../../src/schema/suggest-key.js';

const TOP_LEVEL = [
  '$schema',
  'name',
  'appName',
  'workerConfig',
  'ports',
  'policy',
  'image',
  'products',
  'rootfsSize',
  'volumeMounts',
  'clusterID',
  'envs',
  'healthy',
];

describe('editDistance', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['abc', '', 3],
    ['healthy', 'helthy', 1],
    ['ports', 'prots', 1],
    ['kitten', 'sitting', 3],
    ['env', 'envs', 1],
  ];
  for (const [a, b, expected] of cases) {
    it(`${a || '""'} → ${b || '""'} is ${expected}`, () => expect(editDistance(a, b)).toBe(expected));
  }
});

describe('suggestKey', () => {
  const cases: [string, string | undefined][] = [
    ['workerconfig', 'workerConfig'],
    ['helthy', 'healthy'],
    ['port', 'ports'],
    ['env', 'envs'],
    ['clusterId', 'clusterID'],
    ['volumes', undefined],
    ['replicas', undefined],
    ['x', undefined],
  ];
  for (const [unknown, expected] of cases) {
    it(`${unknown} → ${String(expected)}`, () => expect(suggestKey(unknown, TOP_LEVEL)).toBe(expected));
  }
});
