import { describe, expect, it } from '@jest/globals';
import { formatStatusJson } from '../../src/report/status-json.js';
import { formatStatusText } from '../../src/report/status-text.js';
import { stringSink } from '../../src/report/types.js';
import type { StatusReport } from '../../src/status/index.js';

const url = (id: string, name: string) => `https://${id}-${name}.runsync.serverless.ppinfra.com`;

const report: StatusReport = {
  formatVersion: 1,
  environment: null,
  endpoints: [
    {
      name: 'broken',
      id: '5e1f0c3a9b7d2e41',
      state: 'failed',
      message: 'ImagePullBackOff: failed to pull image x',
      workers: { running: 0, min: 0, max: 4 },
      url: url('5e1f0c3a9b7d2e41', 'broken'),
      drifted: false,
      driftedFields: [],
    },
    {
      name: 'sdxl\u001b[2J',
      id: '2f9fb35f70c5b595',
      state: 'initializing',
      workers: { running: 1, min: 0, max: 4 },
      url: url('2f9fb35f70c5b595', 'sdxl'),
      drifted: true,
      driftedFields: ['/workerConfig/maxNum', '/envs/0/value'],
    },
  ],
  unmanaged: [
    { name: '', id: '7a8b9c0d1e2f3a4b', state: 'serving', workers: { running: 0, min: 0, max: 2 }, url: url('7a8b9c0d1e2f3a4b', '7a8b9c0d1e2f3a4b') },
  ],
  summary: { managed: 2, serving: 0, failed: 1, missing: 0, drifted: 1, unmanaged: 1 },
  healthy: false,
};

const render = (model: StatusReport, color = false) => {
  const sink = stringSink();
  formatStatusText(model, sink, { color });
  return sink.text();
};

describe('formatStatusText', () => {
  it('aligns the columns, puts messages and drifted fields under their row, escapes control characters', () => {
    expect(render(report)).toBe(
      [
        'NAME           ID                STATE         RUNNING/MIN/MAX  DRIFT    URL',
        `broken         5e1f0c3a9b7d2e41  failed        0/0/4            -        ${url('5e1f0c3a9b7d2e41', 'broken')}`,
        '  # ImagePullBackOff: failed to pull image x',
        `sdxl\\u001b[2J  2f9fb35f70c5b595  initializing  1/0/4            drifted  ${url('2f9fb35f70c5b595', 'sdxl')}`,
        '  # changed outside ppio-deploy: /workerConfig/maxNum, /envs/0/value',
        '',
        'Not managed by this project (1):',
        'NAME       ID                STATE    RUNNING/MIN/MAX  URL',
        `(no name)  7a8b9c0d1e2f3a4b  serving  0/0/2            ${url('7a8b9c0d1e2f3a4b', '7a8b9c0d1e2f3a4b')}`,
        '',
        'Status: 2 managed (0 serving, 1 failed, 0 missing, 1 not ready), 1 drifted, 1 not managed.',
        '',
      ].join('\n'),
    );
  });

  it('keeps the columns aligned when coloured', () => {
    const lines = render(report, true)
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n');
    expect(lines.slice(0, 2)).toEqual(render(report).split('\n').slice(0, 2));
  });

  it('says so when nothing is managed yet', () => {
    const empty: StatusReport = {
      ...report,
      endpoints: [],
      unmanaged: [],
      summary: { managed: 0, serving: 0, failed: 0, missing: 0, drifted: 0, unmanaged: 0 },
      healthy: true,
    };
    expect(render(empty)).toBe(
      'No endpoints are managed yet (the lockfile records none).\n\nStatus: 0 managed (0 serving, 0 failed, 0 missing), 0 drifted, 0 not managed.\n',
    );
  });
});

describe('formatStatusJson', () => {
  it('is the report as one JSON document', () => {
    const sink = stringSink();
    formatStatusJson(report, sink, { color: false });
    expect(JSON.parse(sink.text())).toEqual(report);
  });
});
