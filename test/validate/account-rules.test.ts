import { describe, expect, it } from '@jest/globals';
import type { EndpointLimits } from '../../src/api/types.js';
import { checkAccountRules, validateSpecs, type AccountFacts } from '../../src/schema/index.js';
import { editedSpec, parseDocuments } from './spec-documents.js';

const LIMITS: EndpointLimits = {
  minRootfsSize: 100,
  maxRootfsSize: 100,
  minLocalVolumeSize: 30,
  maxLocalVolumeSize: 30,
  minWorkerNum: 0,
  maxWorkerNum: 1000,
  minFreeTimeout: 1,
  maxFreeTimeout: 1000,
  minConcurrencyNum: 1,
  maxConcurrencyNum: 1000,
  minQueueWaitTime: 1,
  maxQueueWaitTime: 1000,
  minRequestNum: 1,
  maxRequestNum: 500,
  minGPUNum: 1,
  maxGPUNum: 8,
  minRequestTimeout: 1,
  maxRequestTimeout: 1800,
  cudaVersionList: ['12.1'],
};

const facts = (overrides: Partial<AccountFacts> = {}): AccountFacts => ({
  limits: LIMITS,
  storages: [{ storageId: 'ns-1', storageName: 'models', storageSize: 100, clusterId: 'c-1', clusterName: 'us-east' }],
  auths: [{ id: 'auth-1', name: 'ghcr' }],
  ...overrides,
});

function accountDiagnostics(edits: [string, string][], accountFacts = facts()) {
  const { valid, diagnostics } = validateSpecs(parseDocuments(editedSpec(edits)));
  expect(diagnostics).toEqual([]);
  return checkAccountRules(valid, accountFacts).map(({ rule, line, column, path, message }) => ({ rule, line, column, path, message }));
}

const NETWORK = (id: string, cluster: string): [string, string][] => [
  ['  - type: local\n    size: 30\n    mountPath: /workspace', `  - type: network\n    id: ${id}\n    mountPath: /data`],
  ['rootfsSize: 100', `rootfsSize: 100\nclusterID: ${cluster}`],
];

describe('checkAccountRules: GET /endpoint/limit ranges', () => {
  it('a spec inside every range passes', () => {
    expect(accountDiagnostics([])).toEqual([]);
  });

  const cases: { name: string; edits: [string, string][]; limits?: Partial<EndpointLimits>; expected: object }[] = [
    {
      name: 'maxNum above maxWorkerNum',
      edits: [['maxNum: 4', 'maxNum: 2000']],
      expected: {
        rule: 'account-limit',
        line: 9,
        column: 11,
        path: '/workerConfig/maxNum',
        message: 'maxNum 2000 is above the account limit 1000 (GET /endpoint/limit: maxWorkerNum)',
      },
    },
    {
      name: 'minNum below a non-zero minWorkerNum',
      edits: [['minNum: 0', 'minNum: 1']],
      limits: { minWorkerNum: 2 },
      expected: { path: '/workerConfig/minNum', message: 'minNum 1 is below the account limit 2 (GET /endpoint/limit: minWorkerNum)' },
    },
    {
      name: 'freeTimeout above maxFreeTimeout',
      edits: [['freeTimeout: 300', 'freeTimeout: 5000']],
      expected: {
        path: '/workerConfig/freeTimeout',
        message: 'freeTimeout 5000 is above the account limit 1000 (GET /endpoint/limit: maxFreeTimeout)',
      },
    },
    {
      name: 'maxConcurrent below minConcurrencyNum',
      edits: [['maxConcurrent: 2', 'maxConcurrent: 0']],
      expected: {
        path: '/workerConfig/maxConcurrent',
        message: 'maxConcurrent 0 is below the account limit 1 (GET /endpoint/limit: minConcurrencyNum)',
      },
    },
    {
      name: 'gpuNum above maxGPUNum',
      edits: [['gpuNum: 1', 'gpuNum: 9']],
      expected: { path: '/workerConfig/gpuNum', message: 'gpuNum 9 is above the account limit 8 (GET /endpoint/limit: maxGPUNum)' },
    },
    {
      name: 'requestTimeout above maxRequestTimeout',
      edits: [['requestTimeout: 120', 'requestTimeout: 3600']],
      expected: {
        path: '/workerConfig/requestTimeout',
        message: 'requestTimeout 3600 is above the account limit 1800 (GET /endpoint/limit: maxRequestTimeout)',
      },
    },
    {
      name: 'queue policy value checked against QueueWaitTime',
      edits: [['value: 30', 'value: 1001']],
      expected: { path: '/policy/value', message: 'policy value 1001 is above the account limit 1000 (GET /endpoint/limit: maxQueueWaitTime)' },
    },
    {
      name: 'concurrency policy value checked against RequestNum',
      edits: [
        ['type: queue', 'type: concurrency'],
        ['value: 30', 'value: 600'],
      ],
      expected: { path: '/policy/value', message: 'policy value 600 is above the account limit 500 (GET /endpoint/limit: maxRequestNum)' },
    },
    {
      name: 'rootfsSize outside RootfsSize',
      edits: [['rootfsSize: 100', 'rootfsSize: 200']],
      expected: {
        line: 21,
        column: 13,
        path: '/rootfsSize',
        message: 'rootfsSize 200 is above the account limit 100 (GET /endpoint/limit: maxRootfsSize)',
      },
    },
    {
      name: 'local volume size outside LocalVolumeSize',
      edits: [['size: 30', 'size: 10']],
      expected: {
        line: 24,
        column: 11,
        path: '/volumeMounts/0/size',
        message: 'local volume size 10 is below the account limit 30 (GET /endpoint/limit: minLocalVolumeSize)',
      },
    },
  ];
  for (const { name, edits, limits, expected } of cases) {
    it(name, () => {
      const found = accountDiagnostics(edits, facts({ limits: { ...LIMITS, ...limits } }));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ rule: 'account-limit', ...expected });
    });
  }

  it('minNum 0 (scale to zero) is allowed even when the account reports a minimum of 1', () => {
    expect(accountDiagnostics([], facts({ limits: { ...LIMITS, minWorkerNum: 1 } }))).toEqual([]);
  });

  it('a limit the API left out is not checked', () => {
    const limits = { ...LIMITS, maxWorkerNum: Number.NaN };
    expect(accountDiagnostics([['maxNum: 4', 'maxNum: 2000']], facts({ limits }))).toEqual([]);
  });
});

describe('checkAccountRules: network storages and registry auths', () => {
  it('a network volume in its cluster passes', () => {
    expect(accountDiagnostics(NETWORK('ns-1', 'c-1'))).toEqual([]);
  });

  it('unknown-network-storage at the volume id', () => {
    expect(accountDiagnostics(NETWORK('ns-404', 'c-1'))).toEqual([
      {
        rule: 'unknown-network-storage',
        line: 25,
        column: 9,
        path: '/volumeMounts/0/id',
        message: 'network storage `ns-404` does not exist in this account (GET /networkstorages/list)',
      },
    ]);
  });

  it('storage-cluster-mismatch at clusterID', () => {
    expect(accountDiagnostics(NETWORK('ns-1', 'c-2'))).toEqual([
      {
        rule: 'storage-cluster-mismatch',
        line: 22,
        column: 12,
        path: '/clusterID',
        message: 'network storage `ns-1` is in cluster `c-1` (us-east), but clusterID is `c-2`',
      },
    ]);
  });

  it('unknown-registry-auth at image.authId', () => {
    expect(accountDiagnostics([['  image: ghcr.io/acme/sdxl:1.4.2', '  image: ghcr.io/acme/sdxl:1.4.2\n  authId: auth-9']])).toEqual([
      {
        rule: 'unknown-registry-auth',
        line: 6,
        column: 11,
        path: '/image/authId',
        message: 'registry auth `auth-9` does not exist in this account (GET /repository/auths)',
      },
    ]);
  });

  it('a known authId passes', () => {
    expect(accountDiagnostics([['  image: ghcr.io/acme/sdxl:1.4.2', '  image: ghcr.io/acme/sdxl:1.4.2\n  authId: auth-1']])).toEqual([]);
  });

  it('an authId filled from the environment cannot be checked offline and is skipped', () => {
    expect(accountDiagnostics([['  image: ghcr.io/acme/sdxl:1.4.2', '  image: ghcr.io/acme/sdxl:1.4.2\n  authId: "${env:AUTH_ID}"']])).toEqual([]);
  });
});
