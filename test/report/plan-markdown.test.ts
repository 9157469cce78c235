import { describe, expect, it } from '@jest/globals';
import type { Change, Plan } from '../../src/plan/index.js';
import { MAX_MARKDOWN_LENGTH, formatPlanMarkdown } from '../../src/report/plan-markdown.js';
import { stringSink } from '../../src/report/types.js';
import { ONLINE_PLAN, samplePlan } from './plan-sample.js';

const render = (plan: Plan): string => {
  const sink = stringSink();
  formatPlanMarkdown(plan, sink, { color: true });
  return sink.text();
};

const planOf = (changes: Change[]): Plan => {
  const summary = { create: 0, adopt: 0, update: 0, replace: 0, delete: 0, noop: 0, move: 0, forget: 0 };
  for (const change of changes) summary[change.action] += 1;
  return { formatVersion: 1, ...ONLINE_PLAN, changes, summary };
};

describe('formatPlanMarkdown', () => {
  it('renders the marker, counts, warnings, table and collapsed diffs', () => {
    expect(render(samplePlan)).toBe(`<!-- ppio-deploy-plan -->
## ppio-deploy plan

**Plan: 1 to create, 1 to update, 1 to replace, 1 to delete, 1 to adopt, 1 to move, 1 to forget.**

> [!WARNING]
> This plan deletes, replaces or takes over endpoints. \`ppio-deploy apply\` holds these changes back, and applies the rest, unless it runs with the flag each names. A replaced endpoint gets a new URL.
>
> - **embed** takes over live endpoint 7a7a7a7a7a7a7a7a, which the lockfile does not record (needs \`--adopt\`)
> - **old** is deleted (needs \`--allow-delete\`)
> - **sdxl** is replaced (appName cannot change in place): its clients get a new URL (needs \`--allow-delete\`)

| Endpoint | Action | Impact | Source |
| --- | --- | --- | --- |
| chat | update | scaling | endpoints/chat.yaml |
| embed | adopt (needs \`--adopt\`) | none | endpoints/embed.yaml |
| gone | forget | none | endpoints/gone.yaml |
| llm → llm-v2 | move | metadata | endpoints/llm.yaml |
| old | delete (needs \`--allow-delete\`) | destroy | endpoints/old.yaml |
| sdxl | replace (needs \`--allow-delete\`) | new-endpoint | endpoints/sdxl.yaml |
| whisper | create | new-endpoint | endpoints/whisper.yaml |

<details>
<summary><code>chat</code>: update, scaling, 1 field</summary>

\`\`\`diff
- /workerConfig/maxNum: 2  (drift: changed outside ppio-deploy; this reverts it)
+ /workerConfig/maxNum: 4
\`\`\`

</details>

<details>
<summary><code>embed</code>: adopt, none, 0 fields</summary>

\`\`\`diff
# takes over live endpoint 7a7a7a7a7a7a7a7a (not in the lockfile, with the same appName)
\`\`\`

</details>

<details>
<summary><code>gone</code>: forget, none, 0 fields</summary>

\`\`\`diff
# endpoint 5e5e5e5e5e5e5e5e no longer exists live: apply only removes it from the lockfile
\`\`\`

</details>

<details>
<summary><code>llm-v2</code>: move, metadata, 1 field</summary>

\`\`\`diff
- /name: "llm"
+ /name: "llm-v2"
\`\`\`

</details>

<details>
<summary><code>sdxl</code>: replace, new-endpoint, 4 fields</summary>

\`\`\`diff
# appName cannot change in place: a new endpoint (new URL) is created first, then this one is deleted
- /appName: "sdxl"
+ /appName: "sdxl-turbo"
- /envs/0/value: (sensitive)
+ /envs/0/value: (sensitive value changed)
+ /envs/1: {"key":"MODE","value":"fast"}
- /image/authId: "auth-1"
\`\`\`

</details>

<details>
<summary><code>whisper</code>: create, new-endpoint, 2 fields</summary>

\`\`\`diff
+ /name: "whisper"
+ /envs/0: {"key":"HF_TOKEN","value":(sensitive)}
\`\`\`

</details>

`);
  });

  it('says when nothing changes, still behind the marker', () => {
    expect(render(planOf([{ name: 'a', action: 'noop', id: '1', source: 'a.yaml', impact: 'none', fields: [] }]))).toBe(
      '<!-- ppio-deploy-plan -->\n## ppio-deploy plan\n\nNo changes. Endpoints match the specs.\n',
    );
  });

  it('leaves out the warning when nothing is deleted or replaced', () => {
    const text = render(planOf([samplePlan.changes[0]!]));
    expect(text).not.toContain('[!WARNING]');
    expect(text.split('\n')[0]).toBe('<!-- ppio-deploy-plan -->');
  });

  it('escapes table cells so names cannot split columns, format text or inject HTML', () => {
    const change: Change = {
      name: 'a|b *c* _d_ <img src=x> $x$ `e` [l](u)\nrow',
      action: 'update',
      id: 'abc',
      source: 'endpoints/p|q.yaml',
      impact: 'scaling',
      fields: [{ path: '/workerConfig/maxNum', before: 1, after: 2 }],
    };
    const text = render(planOf([change]));
    expect(text).toContain(
      '| a\\|b \\*c\\* \\_d\\_ \\<img src=x\\> \\$x\\$ \\`e\\` \\[l\\](u)\\\\u000arow | update | scaling | endpoints/p\\|q.yaml |\n',
    );
    expect(text).toContain('<summary><code>a|b *c* _d_ &#60;img src=x&#62; $x$ `e` [l](u)\\u000arow</code>: update');
  });

  it('fences diffs longer than any backtick run in a value, so values cannot close the block', () => {
    const change: Change = {
      name: 'cmd',
      action: 'update',
      id: 'abc',
      source: 's.yaml',
      impact: 'rollout',
      fields: [{ path: '/image/command', before: 'a', after: 'echo ````` && </details> <script>' }],
    };
    const text = render(planOf([change]));
    expect(text).toContain('``````diff\n- /image/command: "a"\n+ /image/command: "echo ````` && </details> <script>"\n``````\n');
  });

  it('stays under 60,000 characters with 2,000 changes, keeping the counts and saying what it left out', () => {
    const changes: Change[] = Array.from({ length: 2000 }, (_, i) => ({
      name: `endpoint-${String(i).padStart(4, '0')}`,
      action: i % 10 === 0 ? 'delete' : 'update',
      id: i.toString(16).padStart(16, '0'),
      source: `endpoints/group-${i % 7}/endpoint-${i}.yaml`,
      impact: i % 10 === 0 ? 'destroy' : 'rollout',
      fields: i % 10 === 0 ? [] : [{ path: '/image/image', before: `ghcr.io/acme/model:${i}`, after: `ghcr.io/acme/model:${i + 1}` }],
    }));
    const text = render(planOf(changes));
    expect(text.length).toBeLessThan(MAX_MARKDOWN_LENGTH);
    expect(text.length).toBeGreaterThan(MAX_MARKDOWN_LENGTH - 2000);
    expect(
      text.startsWith('<!-- ppio-deploy-plan -->\n## ppio-deploy plan\n\n**Plan: 0 to create, 1800 to update, 0 to replace, 200 to delete.**\n'),
    ).toBe(true);
    expect(text).toContain('| Endpoint | Action | Impact | Source |\n| --- | --- | --- | --- |\n| endpoint-0000 | delete (needs `--allow-delete`) |');
    expect(text).toContain('> - and 180 more\n');
    const rows = text.split('\n').filter((line) => line.startsWith('| endpoint-')).length;
    expect(
      text.endsWith(
        `> [!NOTE]\n> ${2000 - rows} changes omitted from the table, and the details of 1800 changes omitted to keep this under 60,000 characters. Run \`ppio-deploy plan\` for the full plan.\n`,
      ),
    ).toBe(true);
  });

  it('keeps every table row and cuts only details when the rows fit', () => {
    const changes: Change[] = Array.from({ length: 60 }, (_, i) => ({
      name: `e${String(i).padStart(2, '0')}`,
      action: 'update',
      id: `${i}`,
      source: `e${i}.yaml`,
      impact: 'rollout',
      fields: Array.from({ length: 20 }, (_, j) => ({ path: `/envs/${j}/value`, before: 'x'.repeat(60), after: 'y'.repeat(60) })),
    }));
    const text = render(planOf(changes));
    expect(text.length).toBeLessThan(MAX_MARKDOWN_LENGTH);
    expect(text.split('\n').filter((line) => line.startsWith('| e')).length).toBe(60);
    const details = text.split('<details>').length - 1;
    expect(details).toBeGreaterThan(0);
    expect(text).toContain(`> the details of ${60 - details} changes omitted to keep this under 60,000 characters.`);
  });
});
