import { describe, expect, it, jest } from '@jest/globals';
import { emptyCounts, type ApplyEvent, type ApplyResult } from '../../src/apply/index.js';
import type { Change } from '../../src/plan/types.js';
import { createApplyRenderer, formatApplyEvent, formatApplySummary, formatDuration, PROGRESS_FLUSH_MS } from '../../src/report/apply-text.js';
import { stringSink } from '../../src/report/types.js';

const change = (name: string, action: Change['action']): Change => ({
  name,
  action,
  source: `endpoints/${name}.yaml`,
  impact: 'scaling',
  fields: [],
});

const render = (event: ApplyEvent, color = false): string => {
  const sink = stringSink();
  formatApplyEvent(event, sink, { color });
  return sink.text();
};

describe('apply progress text', () => {
  it.each<[string, ApplyEvent, string]>([
    [
      'a create',
      { type: 'finished', change: change('sdxl-turbo', 'create'), outcome: 'created', id: '2f9fb35f70c5b595', durationMs: 1234 },
      '+ created sdxl-turbo (2f9fb35f70c5b595) in 1.2s\n',
    ],
    [
      'an update',
      { type: 'finished', change: change('web', 'update'), outcome: 'updated', id: 'aaaa', durationMs: 80 },
      '~ updated web (aaaa) in 0.1s\n',
    ],
    [
      'a replace',
      { type: 'finished', change: change('gpu', 'replace'), outcome: 'replaced', id: 'bbbb', durationMs: 3050 },
      '-/+ replaced gpu (bbbb) in 3.0s\n',
    ],
    [
      'a delete',
      { type: 'finished', change: change('old', 'delete'), outcome: 'deleted', id: 'cccc', durationMs: 300 },
      '- deleted old (cccc) in 0.3s\n',
    ],
    [
      'an adoption',
      { type: 'finished', change: change('legacy', 'adopt'), outcome: 'adopted', id: 'dddd', durationMs: 200 },
      '<= adopted legacy (dddd) in 0.2s\n',
    ],
    [
      'a failure',
      {
        type: 'failed',
        change: change('bad', 'create'),
        error: 'create endpoint bad failed: HTTP 400 SERVERLESS_PRODUCT_NOT_FOUND: no such product',
        durationMs: 90,
      },
      '! create bad failed after 0.1s: create endpoint bad failed: HTTP 400 SERVERLESS_PRODUCT_NOT_FOUND: no such product\n',
    ],
    [
      'a reconciled create',
      { type: 'reconciled', name: 'lost', id: 'eeee' },
      '    lost already exists as eeee: recording it instead of creating another\n',
    ],
    ['a ready endpoint', { type: 'ready', name: 'web', id: 'aaaa', durationMs: 12_300 }, '✓ web (aaaa) serving after 12.3s\n'],
    [
      'a failed wait',
      { type: 'wait-failed', name: 'web', id: 'aaaa', error: 'endpoint aaaa is failed: ImagePullBackOff', durationMs: 65_000 },
      '! web (aaaa) not ready after 1m 05s: endpoint aaaa is failed: ImagePullBackOff\n',
    ],
  ])('renders %s as one line', (_case, event, line) => {
    expect(render(event)).toBe(line);
  });

  it('ends each finished or failed line with its place in the apply when the total is known', () => {
    const sink = stringSink();
    const renderer = createApplyRenderer(sink, { color: false }, 2);
    renderer.event({ type: 'started', change: change('a', 'create') });
    renderer.event({ type: 'finished', change: change('a', 'create'), outcome: 'created', id: '1', durationMs: 100 });
    renderer.event({ type: 'url', name: 'a', id: '1', url: 'https://1-a.example' });
    renderer.event({ type: 'failed', change: change('b', 'create'), error: 'boom', durationMs: 100 });
    renderer.flush();
    expect(sink.text()).toBe('+ created a (1) in 0.1s [1/2]\n    a: https://1-a.example\n! create b failed after 0.1s: boom [2/2]\n');
  });

  it('writes the lines of operations that end close together in one write, within a moment', () => {
    jest.useFakeTimers();
    try {
      const writes: string[] = [];
      const renderer = createApplyRenderer({ write: (text) => writes.push(text) }, { color: false }, 3);
      renderer.event({ type: 'finished', change: change('a', 'create'), outcome: 'created', id: '1', durationMs: 100 });
      renderer.event({ type: 'finished', change: change('b', 'create'), outcome: 'created', id: '2', durationMs: 100 });
      expect(writes).toEqual([]);
      jest.advanceTimersByTime(PROGRESS_FLUSH_MS);
      expect(writes).toEqual(['+ created a (1) in 0.1s [1/3]\n+ created b (2) in 0.1s [2/3]\n']);
      renderer.event({ type: 'finished', change: change('c', 'create'), outcome: 'created', id: '3', durationMs: 100 });
      // The summary never overtakes a line.
      renderer.summary({ counts: { ...emptyCounts(), created: 3 }, failures: [], heldBack: [] });
      expect(writes.slice(1).join('')).toBe(
        '+ created c (3) in 0.1s [3/3]\nApply complete: 3 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.\n',
      );
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('prints nothing when an operation starts', () => {
    expect(render({ type: 'started', change: change('web', 'update') })).toBe('');
  });

  it('escapes control characters in names and messages', () => {
    expect(render({ type: 'failed', change: change('a\u001b[31m', 'create'), error: 'x\ny', durationMs: 0 })).toBe(
      '! create a\\u001b[31m failed after 0.0s: x\\u000ay\n',
    );
  });

  it('colours only when asked', () => {
    const event: ApplyEvent = { type: 'finished', change: change('web', 'create'), outcome: 'created', id: 'a', durationMs: 1 };
    expect(render(event, true)).toContain('\u001b[');
    expect(render(event, false)).not.toContain('\u001b[');
  });

  it('ends a clean apply with the exact summary line', () => {
    const sink = stringSink();
    formatApplySummary(
      { counts: { created: 1, updated: 2, replaced: 0, deleted: 0, adopted: 0, moved: 0, forgotten: 0 }, failures: [], heldBack: [] },
      sink,
      { color: false },
    );
    expect(sink.text()).toBe('Apply complete: 1 created, 2 updated, 0 replaced, 0 deleted, 0 adopted.\n');
  });

  it('lists held-back changes and counts them, naming the flags, before the final line', () => {
    const change = (name: string, action: 'delete' | 'adopt' | 'replace'): Change => ({
      name,
      action,
      id: 'x',
      source: 's',
      impact: 'none',
      fields: [],
    });
    const sink = stringSink();
    const counts = { created: 0, updated: 1, replaced: 0, deleted: 0, adopted: 0, moved: 0, forgotten: 1 };
    formatApplySummary({ counts, failures: [], heldBack: [change('old', 'delete'), change('theirs', 'adopt')] }, sink, { color: false });
    expect(sink.text()).toBe(
      '  || delete old: held back, needs --allow-delete\n' +
        '  || adopt theirs: held back, needs --adopt\n' +
        'Held back: 1 delete, 1 adopt (rerun with --allow-delete / --adopt).\n' +
        'Apply complete: 0 created, 1 updated, 0 replaced, 0 deleted, 0 adopted, 1 forgotten.\n',
    );
  });

  it('ends a failed apply with the failures listed', () => {
    const result: ApplyResult = {
      counts: { created: 2, updated: 0, replaced: 0, deleted: 0, adopted: 0, moved: 0, forgotten: 0 },
      failures: [
        { name: 'bad', action: 'create', message: 'HTTP 400 SERVERLESS_PRODUCT_NOT_FOUND' },
        { name: 'slow', action: 'wait', message: 'endpoint x is not serving after 30s (state: initializing)' },
      ],
      heldBack: [],
    };
    const sink = stringSink();
    createApplyRenderer(sink, { color: false }).summary(result);
    expect(sink.text()).toBe(
      'Apply failed: 2 operations failed (2 created, 0 updated, 0 replaced, 0 deleted, 0 adopted).\n' +
        '  - create bad: HTTP 400 SERVERLESS_PRODUCT_NOT_FOUND\n' +
        '  - wait slow: endpoint x is not serving after 30s (state: initializing)\n',
    );
  });

  it.each([
    [0, '0.0s'],
    [49, '0.0s'],
    [59_940, '59.9s'],
    [60_000, '1m 00s'],
    [3_725_000, '62m 05s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
