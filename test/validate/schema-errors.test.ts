import { describe, expect, it } from '@jest/globals';
import { mapSchemaErrors, validateConfig, validateSpecs } from '../../src/schema/index.js';
import { basicSpecYaml } from '../helpers/cli.js';
import { editedSpec, parseDocuments } from './spec-documents.js';

type Edit = readonly [string, string];
interface Expected {
  rule: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

/** Validates one edited spec and returns its diagnostics without file/severity noise. */
function diagnosticsFor(edits: readonly Edit[]): Expected[] {
  const { diagnostics } = validateSpecs(parseDocuments(editedSpec(edits)));
  return diagnostics.map(({ rule, line, column, path, message }) => ({ rule, line, column, path, message }));
}

const NETWORK_MOUNT = '  - type: network\n    id: ns-1\n    mountPath: /data';

// Line numbers refer to basicSpecYaml() (test/helpers/cli.ts): ports on 14–15, volumeMounts on 22–25.
const cases: { name: string; edits: Edit[]; expected: Expected[] }[] = [
  {
    name: 'reserved port as an integer',
    edits: [['port: 8080', 'port: 2222']],
    expected: [{ rule: 'reserved-port', line: 15, column: 11, path: '/ports/0/port', message: 'port 2222 is reserved by the platform' }],
  },
  {
    name: 'reserved port as a digit string',
    edits: [['port: 8080', 'port: "2224"']],
    expected: [{ rule: 'reserved-port', line: 15, column: 11, path: '/ports/0/port', message: 'port 2224 is reserved by the platform' }],
  },
  {
    name: 'a typo is one problem: unknown key with a suggestion, no separate missing key',
    edits: [['workerConfig:', 'workerconfig:']],
    expected: [
      { rule: 'unknown-key', line: 7, column: 1, path: '/workerconfig', message: 'unknown key `workerconfig` (did you mean `workerConfig`?)' },
    ],
  },
  {
    name: 'unknown nested key suggests the key at its own level',
    edits: [['  minNum: 0', '  min_num: 0']],
    expected: [{ rule: 'unknown-key', line: 8, column: 3, path: '/workerConfig/min_num', message: 'unknown key `min_num` (did you mean `minNum`?)' }],
  },
  {
    name: 'unknown key with nothing close enough to suggest',
    edits: [['rootfsSize: 100', 'rootfsSize: 100\nreplicas: 3']],
    expected: [
      {
        rule: 'unknown-key',
        line: 22,
        column: 1,
        path: '/replicas',
        message:
          'unknown key `replicas` (allowed: name, appName, workerConfig, ports, policy, image, products, rootfsSize, volumeMounts, clusterID, envs, healthy)',
      },
    ],
  },
  {
    name: 'an unknown key that suggests another key still reports the missing one',
    edits: [['  minNum: 0\n  maxNum: 4', '  maxNum: 4\n  maxnum: 4']],
    expected: [
      { rule: 'missing-key', line: 8, column: 3, path: '/workerConfig', message: 'missing required key `minNum`' },
      { rule: 'unknown-key', line: 9, column: 3, path: '/workerConfig/maxnum', message: 'unknown key `maxnum` (did you mean `maxNum`?)' },
    ],
  },
  {
    name: 'missing required key points at the parent map',
    edits: [['healthy:\n  path: /health\n', '']],
    expected: [{ rule: 'missing-key', line: 2, column: 1, path: '', message: 'missing required key `healthy`' }],
  },
  {
    name: 'network volume without id',
    edits: [
      ['  - type: local\n    size: 30\n', '  - type: network\n'],
      ['rootfsSize: 100', 'rootfsSize: 100\nclusterID: c-1'],
    ],
    expected: [{ rule: 'volume-shape', line: 24, column: 5, path: '/volumeMounts/0', message: 'a network volume needs `id`' }],
  },
  {
    name: 'local volume with an id',
    edits: [['    size: 30\n', '    size: 30\n    id: ns-1\n']],
    expected: [{ rule: 'volume-shape', line: 25, column: 5, path: '/volumeMounts/0/id', message: 'a local volume takes no `id`' }],
  },
  {
    name: 'local volume without size',
    edits: [['    size: 30\n', '']],
    expected: [{ rule: 'volume-shape', line: 23, column: 5, path: '/volumeMounts/0', message: 'a local volume needs `size`' }],
  },
  {
    name: 'network volume with a size',
    edits: [
      ['  - type: local\n    size: 30\n    mountPath: /workspace', `${NETWORK_MOUNT}\n    size: 30`],
      ['rootfsSize: 100', 'rootfsSize: 100\nclusterID: c-1'],
    ],
    expected: [{ rule: 'volume-shape', line: 27, column: 5, path: '/volumeMounts/0/size', message: 'a network volume takes no `size`' }],
  },
  {
    name: 'network volume without clusterID points at the network mount',
    edits: [['  - type: local\n    size: 30\n    mountPath: /workspace', NETWORK_MOUNT]],
    expected: [
      {
        rule: 'cluster-required',
        line: 23,
        column: 11,
        path: '/volumeMounts/0/type',
        message: '`clusterID` is required when a network volume is mounted',
      },
    ],
  },
  {
    name: 'quoted integer',
    edits: [['freeTimeout: 300', 'freeTimeout: "300"']],
    expected: [
      { rule: 'type', line: 10, column: 16, path: '/workerConfig/freeTimeout', message: 'expected an integer, got "300" (remove the quotes)' },
    ],
  },
  {
    name: 'env value that must be quoted',
    edits: [['healthy:', 'envs:\n  - key: PORT\n    value: 8080\nhealthy:']],
    expected: [{ rule: 'type', line: 28, column: 12, path: '/envs/0/value', message: 'expected a string, got 8080 (quote it: "8080")' }],
  },
  {
    name: 'secret-looking env value of the wrong type is not echoed',
    edits: [['healthy:', 'envs:\n  - key: API_TOKEN\n    value: 987654\nhealthy:']],
    expected: [{ rule: 'type', line: 28, column: 12, path: '/envs/0/value', message: 'expected a string, got a number (quote it)' }],
  },
  {
    name: 'a map where a scalar is expected',
    edits: [['rootfsSize: 100', 'rootfsSize: {size: 100}']],
    expected: [{ rule: 'type', line: 21, column: 13, path: '/rootfsSize', message: 'expected an integer, got a map' }],
  },
  {
    name: 'a scalar where a map is expected',
    edits: [['healthy:\n  path: /health', 'healthy: /health']],
    expected: [{ rule: 'type', line: 26, column: 10, path: '/healthy', message: 'expected a map, got "/health"' }],
  },
  {
    name: 'two ports',
    edits: [['  - port: 8080', '  - port: 8080\n  - port: 9090']],
    expected: [{ rule: 'port-count', line: 15, column: 3, path: '/ports', message: 'exactly one port is required, got 2' }],
  },
  {
    name: 'no port',
    edits: [['ports:\n  - port: 8080', 'ports: []']],
    expected: [{ rule: 'port-count', line: 14, column: 8, path: '/ports', message: 'exactly one port is required, got none' }],
  },
  {
    name: 'port above 65535',
    edits: [['port: 8080', 'port: 70000']],
    expected: [{ rule: 'range', line: 15, column: 11, path: '/ports/0/port', message: '`port` must be at most 65535, got 70000' }],
  },
  {
    name: 'port string that is not a port number',
    edits: [['port: 8080', 'port: "http"']],
    expected: [{ rule: 'range', line: 15, column: 11, path: '/ports/0/port', message: 'port "http" must be a whole number from 1 to 65535' }],
  },
  {
    name: 'port that is neither an integer nor a string',
    edits: [['port: 8080', 'port: 80.5']],
    expected: [{ rule: 'type', line: 15, column: 11, path: '/ports/0/port', message: 'expected an integer or a string, got 80.5' }],
  },
  {
    name: 'appName with capitals and underscores',
    edits: [['appName: sdxl-turbo', 'appName: SDXL_Turbo']],
    expected: [
      {
        rule: 'app-name',
        line: 3,
        column: 10,
        path: '/appName',
        message: 'appName "SDXL_Turbo" must be lowercase letters, digits and hyphens, starting and ending with a letter or digit',
      },
    ],
  },
  {
    name: 'negative count',
    edits: [['minNum: 0', 'minNum: -1']],
    expected: [{ rule: 'range', line: 8, column: 11, path: '/workerConfig/minNum', message: '`minNum` must be at least 0, got -1' }],
  },
  {
    name: 'empty name',
    edits: [['name: sdxl-turbo', 'name: ""']],
    expected: [{ rule: 'length', line: 2, column: 7, path: '/name', message: '`name` must not be empty' }],
  },
  {
    name: 'name over 220 characters',
    edits: [['name: sdxl-turbo', `name: ${'n'.repeat(221)}`]],
    expected: [{ rule: 'length', line: 2, column: 7, path: '/name', message: '`name` must be at most 220 characters, got 221' }],
  },
  {
    name: 'policy type outside the enum',
    edits: [['type: queue', 'type: fifo']],
    expected: [{ rule: 'enum', line: 17, column: 9, path: '/policy/type', message: '`type` must be one of `queue`, `concurrency`, got "fifo"' }],
  },
  {
    name: 'volume type outside the enum',
    edits: [['type: local', 'type: nfs']],
    expected: [{ rule: 'enum', line: 23, column: 11, path: '/volumeMounts/0/type', message: '`type` must be one of `local`, `network`, got "nfs"' }],
  },
  {
    name: 'relative mountPath',
    edits: [['mountPath: /workspace', 'mountPath: workspace']],
    expected: [
      {
        rule: 'absolute-path',
        line: 25,
        column: 16,
        path: '/volumeMounts/0/mountPath',
        message: 'mountPath "workspace" must be an absolute path (start with `/`)',
      },
    ],
  },
  {
    name: 'relative health-check path: worded by the schema title',
    edits: [['path: /health', 'path: health']],
    expected: [
      {
        rule: 'absolute-path',
        line: 27,
        column: 9,
        path: '/healthy/path',
        message: 'health-check path "health" must be an absolute path (start with `/`)',
      },
    ],
  },
  {
    name: 'no product',
    edits: [['products:\n  - id: "1"', 'products: []']],
    expected: [{ rule: 'count', line: 19, column: 11, path: '/products', message: '`products` needs at least 1 entry, got 0' }],
  },
];

describe('mapSchemaErrors: one clear, located error per problem', () => {
  it('the base spec is valid', () => {
    const result = validateSpecs(parseDocuments(basicSpecYaml()));
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toHaveLength(1);
  });

  for (const { name, edits, expected } of cases) {
    it(name, () => {
      const byPosition = (a: Expected, b: Expected) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
      expect(diagnosticsFor(edits).sort(byPosition)).toEqual([...expected].sort(byPosition));
    });
  }

  it('every schema error is an error with the document file', () => {
    const { diagnostics, valid } = validateSpecs(parseDocuments(editedSpec([['port: 8080', 'port: 2222']]), 'endpoints/x.yaml'));
    expect(valid).toEqual([]);
    expect(diagnostics.map((d) => [d.severity, d.file])).toEqual([['error', 'endpoints/x.yaml']]);
  });

  it('locates errors in JSON spec files', () => {
    const json = JSON.stringify(
      {
        name: 'a',
        workerConfig: { minNum: 0, maxNum: 1, freeTimeout: 1, maxConcurrent: 1, gpuNum: 1, requestTimeout: 1 },
        ports: [{ port: '2222' }],
      },
      null,
      2,
    );
    const { diagnostics } = validateSpecs(parseDocuments(json, 'endpoints/a.json'));
    const reserved = diagnostics.find((d) => d.rule === 'reserved-port');
    expect(reserved).toMatchObject({ file: 'endpoints/a.json', line: 13, column: 15, path: '/ports/0/port' });
  });
});

describe('mapSchemaErrors for the config schema', () => {
  it('suggests keys from the config schema', () => {
    const value = { specs: ['endpoints/*.yaml'], lockfle: 'ppio.lock.json' };
    expect(validateConfig(value)).toBe(false);
    const source = { file: 'ppio.config.yaml', value, locate: (pointer: string) => ({ line: pointer === '/lockfle' ? 2 : 1, column: 1 }) };
    expect(mapSchemaErrors(validateConfig.errors ?? [], source, 'config')).toEqual([
      {
        severity: 'error',
        rule: 'unknown-key',
        message: 'unknown key `lockfle` (did you mean `lockfile`?)',
        file: 'ppio.config.yaml',
        line: 2,
        column: 1,
        path: '/lockfle',
      },
    ]);
  });
});
