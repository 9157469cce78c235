import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpecs, parseSpecText, specFileReader } from '../../src/spec/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/load');

function parseFixture(name: string) {
  const absolutePath = path.join(fixtures, name);
  return parseSpecText(readFileSync(absolutePath), name, absolutePath);
}

type Case = [fixture: string, rule: string, line: number, column: number, message: RegExp];

describe('bad input gives one located diagnostic, never an exception', () => {
  const cases: Case[] = [
    ['parse-error.yaml', 'parse-error', 3, 1, /^invalid YAML: Flow sequence/],
    ['tab-indent.yaml', 'parse-error', 3, 1, /Tabs are not allowed/],
    ['parse-error.json', 'parse-error', 3, 17, /^invalid JSON: expected a value, found `,`/],
    ['yaml-in-json-file.json', 'parse-error', 1, 1, /^invalid JSON/],
    ['duplicate-key.yaml', 'duplicate-key', 4, 1, /duplicate key `name`/],
    ['duplicate-key.json', 'duplicate-key', 3, 27, /duplicate key `image`/],
    ['empty-file.yaml', 'empty-file', 1, 1, /the file is empty/],
    ['empty-file.json', 'empty-file', 1, 1, /the file is empty/],
    ['comments-only.yaml', 'empty-file', 1, 1, /only comments/],
    ['empty-array.json', 'empty-file', 1, 1, /array is empty/],
    ['binary-file.yaml', 'binary-file', 3, 7, /binary/],
    ['not-utf8.yaml', 'not-utf8', 3, 25, /not valid UTF-8/],
    ['utf16.yaml', 'not-utf8', 1, 1, /UTF-16/],
    ['alias-bomb.yaml', 'alias-bomb', 6, 8, /alias bomb/],
    ['recursive-alias.yaml', 'alias-bomb', 4, 10, /recursive alias/],
    ['unknown-alias.yaml', 'parse-error', 2, 8, /alias `\*base` refers to no anchor/],
    ['forbidden-key-proto.yaml', 'forbidden-key', 2, 1, /`__proto__` is not allowed/],
    ['forbidden-key-constructor.json', 'forbidden-key', 3, 13, /`constructor` is not allowed/],
    ['forbidden-key-prototype.yaml', 'forbidden-key', 3, 3, /`prototype` is not allowed/],
    ['not-an-object-list.yaml', 'not-an-object', 2, 1, /not a list/],
    ['not-an-object-scalar.yaml', 'not-an-object', 1, 1, /not a string/],
    ['not-an-object-json.json', 'not-an-object', 1, 1, /object or an array of objects/],
    ['non-string-key.yaml', 'non-string-key', 2, 3, /plain string/],
    ['unsupported-value.yaml', 'unsupported-value', 3, 19, /`!!binary`/],
  ];
  it.each(cases)('%s → %s at %i:%i', (fixture, rule, line, column, message) => {
    const result = parseFixture(fixture);
    expect(result.documents).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ severity: 'error', rule, file: fixture, line, column });
    expect(result.diagnostics[0]?.message).toMatch(message);
  });

  it.each([
    ['{\n  "name": "a",\n}\n', 3, 1, 'expected a double-quoted key, found `}`'],
    ['{"name": "a"', 1, 13, 'expected `,` or `}`, found the end of the file'],
    ['{"ports": [1,]}', 1, 14, 'expected a value, found `]`'],
    ['{"name" "a"}', 1, 9, 'expected `:` after the key, found `"`'],
    ['{"name": "a"} x', 1, 15, 'unexpected `x`'],
    ['// note\n{"name": "a"}', 1, 1, 'JSON has no comments'],
    ['{"name": "a\tb"}', 1, 12, 'a string cannot contain a raw control character'],
    ['{"name": "a\\\\b\\qb"}', 1, 15, 'invalid escape sequence'],
    ['{"name": "a\\u12zz"}', 1, 12, 'invalid `\\u` escape'],
    ['{name: "a"}', 1, 2, 'unexpected `n` (keys and strings are double-quoted'],
    [`${'['.repeat(20_000)}`, 1, 1, 'the document is nested too deeply'],
  ])('a JSON syntax error is located and explained: %j', (text, line, column, message) => {
    const [diagnostic, ...others] = parseSpecText(text, 'spec.json', '/abs/spec.json').diagnostics;
    expect(others).toEqual([]);
    expect(diagnostic).toMatchObject({ rule: 'parse-error', line, column });
    expect(diagnostic?.message).toContain(`invalid JSON: ${message}`);
  });

  it.each([
    ['after a real U+FFFD', Buffer.concat([Buffer.from('name: \u{FFFD}a\nappName: Z'), Buffer.from([0xfc]), Buffer.from('rich\n')]), 2, 11],
    ['after several real U+FFFD', Buffer.concat([Buffer.from('name: \u{FFFD}\u{FFFD}é\u{FFFD}\nappName: Z'), Buffer.from([0xfc, 0x0a])]), 2, 11],
    ['after a byte-order mark', Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('name: '), 0xfc, 0x0a]), 1, 7],
  ])('an invalid UTF-8 byte %s is located exactly', (_, bytes, line, column) => {
    expect(parseSpecText(bytes, 'spec.yaml', '/abs/spec.yaml').diagnostics).toMatchObject([{ rule: 'not-utf8', line, column }]);
  });

  it('JSON with a lone carriage return between tokens reads as JSON.parse reads it, also where `yaml` must read it', () => {
    for (const text of ['{"name": "\\u0041",\r"ports": [1,\r2]}', '{"name": "A",\r"ports": [1,\r2]}']) {
      const result = parseSpecText(text, 'spec.json', '/abs/spec.json');
      expect(result.diagnostics).toEqual([]);
      expect(result.documents[0]?.value).toEqual({ name: 'A', ports: [1, 2] });
    }
    const repeated = parseSpecText('{"name": "a",\r"name": "b"}', 'spec.json', '/abs/spec.json');
    expect(repeated.diagnostics).toMatchObject([{ rule: 'duplicate-key', line: 2 }]);
  });

  it('one indentation mistake is one error, not its echoes', () => {
    const text = 'name: a\nworkerConfig:\n  minNum: 0\n maxNum: 4\n  freeTimeout: 300\n  maxConcurrent: 2\n';
    const result = parseSpecText(text, 'indent.yaml', '/abs/indent.yaml');
    expect(result.diagnostics).toMatchObject([{ rule: 'parse-error', line: 4, column: 1, message: /same column/ }]);
  });

  it('a bad third document does not hide the two good ones', () => {
    const result = parseFixture('multi-doc-bad-third.yaml');
    expect(result.documents.map((d) => d.value)).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(result.diagnostics).toMatchObject([{ rule: 'not-an-object', line: 5, column: 1 }]);
  });

  it('a bad item of a JSON array does not hide the good one', () => {
    const result = parseFixture('not-an-object-json-item.json');
    expect(result.documents.map((d) => d.value)).toEqual([{ name: 'a' }]);
    expect(result.diagnostics).toMatchObject([{ rule: 'not-an-object', line: 3, column: 3 }]);
  });

  it('an unknown YAML tag is a warning, and the document still loads', () => {
    const result = parseFixture('unknown-tag.yaml');
    expect(result.documents).toHaveLength(1);
    expect(result.diagnostics).toMatchObject([{ severity: 'warning', rule: 'yaml-warning', line: 3, column: 10 }]);
  });

  it('a billion-laughs document is refused well within a second', () => {
    const started = performance.now();
    const result = parseFixture('alias-bomb.yaml');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.diagnostics.map((d) => d.rule)).toEqual(['alias-bomb']);
  });

  it('prototype-polluting keys never reach an object', () => {
    for (const fixture of ['forbidden-key-proto.yaml', 'forbidden-key-constructor.json', 'forbidden-key-prototype.yaml']) parseFixture(fixture);
    const nested = parseSpecText('name: a\nx:\n  - __proto__: {polluted: 1}\n', 'n.yaml', '/abs/n.yaml');
    expect(nested.diagnostics.map((d) => [d.rule, d.path])).toEqual([['forbidden-key', '/x/0/__proto__']]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('a string over 1 MiB is refused without parsing', () => {
    const result = parseSpecText(`name: a\nx: "${'a'.repeat(1024 * 1024)}"\n`, 'big.yaml', '/abs/big.yaml');
    expect(result.diagnostics).toMatchObject([{ rule: 'file-too-large', line: 1, column: 1 }]);
  });
});

describe('files that cannot be read', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ppio-unreadable-'));
  const endpoints = path.join(dir, 'endpoints');
  mkdirSync(endpoints);
  writeFileSync(path.join(endpoints, 'ok.yaml'), 'name: ok\n');
  const readSpecFile = specFileReader(dir);

  it('a file over 1 MiB is refused by its size, before it is read', () => {
    const big = path.join(dir, 'big.yaml');
    writeFileSync(big, `name: a\n#${'x'.repeat(1024 * 1024)}\n`);
    expect(readSpecFile(big, 'big.yaml').diagnostics).toMatchObject([{ rule: 'file-too-large', file: 'big.yaml', line: 1, column: 1 }]);
  });

  it('a directory named like a spec', () => {
    const folder = path.join(dir, 'folder.yaml');
    mkdirSync(folder);
    const result = readSpecFile(folder, 'folder.yaml');
    expect(result.bytes).toBeUndefined();
    expect(result.diagnostics).toMatchObject([{ rule: 'unreadable-file', file: 'folder.yaml', message: expect.stringMatching(/directory/) }]);
  });

  it('a dangling symbolic link', () => {
    const link = path.join(dir, 'dangling.yaml');
    symlinkSync(path.join(dir, 'missing-target.yaml'), link);
    expect(readSpecFile(link, 'dangling.yaml').diagnostics).toMatchObject([
      { rule: 'unreadable-file', message: expect.stringMatching(/broken symbolic link/) },
    ]);
  });

  it('a FIFO named like a spec is reported, not waited on', async () => {
    const fifo = path.join(endpoints, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(readSpecFile(fifo, 'pipe.yaml').diagnostics).toMatchObject([
      { rule: 'unreadable-file', message: expect.stringMatching(/not a regular file/) },
    ]);
    // The glob lists regular files only, so loading never opens it either.
    const result = await loadSpecs({ rootDir: dir, patterns: ['endpoints/*.yaml'], cwd: dir });
    expect(result.files).toEqual(['endpoints/ok.yaml']);
    expect(result.diagnostics).toEqual([]);
  });

  it('a symbolic link to a FIFO is refused without opening the FIFO (a writer waiting on it stays blocked)', async () => {
    const fifo = path.join(dir, 'linked-pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    symlinkSync('../linked-pipe.yaml', path.join(endpoints, 'pipe-link.yaml'));
    // The writer's open returns only once a reader opens the FIFO, even a non-blocking reader.
    const writer = spawn('sh', ['-c', `printf x > '${fifo}'`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // the writer reaches its open
      expect(readSpecFile(path.join(endpoints, 'pipe-link.yaml'), 'pipe-link.yaml').diagnostics).toMatchObject([
        { rule: 'unreadable-file', message: expect.stringMatching(/not a regular file/) },
      ]);
      const outcome = await Promise.race([exited.then(() => 'opened'), new Promise((resolve) => setTimeout(resolve, 300, 'still blocked'))]);
      expect(outcome).toBe('still blocked');
    } finally {
      writer.kill();
      await exited;
      rmSync(path.join(endpoints, 'pipe-link.yaml'));
    }
  });

  it('cleans up', () => {
    rmSync(dir, { recursive: true, force: true });
  });
});
