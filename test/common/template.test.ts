import { describe, expect, it } from '@jest/globals';
import { isTemplated, mapTemplateStrings } from '../../src/common/template.js';

describe('isTemplated: the one test of "filled from the environment"', () => {
  const cases: [string, boolean][] = [
    ['${env:HF_TOKEN}', true],
    ['Bearer ${env:AUTH}', true],
    ['ghcr.io/acme/web:${env:TAG}', true],
    ['plain', false],
    ['', false],
    ['$${env:LITERAL}', false],
    ['${HOME}', false],
    ['${env:}', false],
    ['${env:UNCLOSED', false],
    ['$${env:A} and ${env:B}', true],
  ];
  it.each(cases)('%j → %s', (value, expected) => {
    expect(isTemplated(value)).toBe(expected);
  });
});

describe('mapTemplateStrings', () => {
  const spec = {
    name: 'a',
    image: { image: 'ghcr.io/x:${var:TAG}', command: 'run' },
    envs: [
      { key: 'A', value: 'plain' },
      { key: 'B', value: '${env:B}' },
    ],
    'a/b~c': '${var:X}',
  };

  it('maps only strings that may hold a template, with their pointers (RFC 6901 escapes)', () => {
    const seen: string[] = [];
    mapTemplateStrings(spec, (text, pointer) => {
      seen.push(`${pointer}=${text}`);
      return text;
    });
    expect(seen).toEqual(['/image/image=ghcr.io/x:${var:TAG}', '/envs/1/value=${env:B}', '/a~1b~0c=${var:X}']);
  });

  it('copies only the objects and lists on the way to a changed string, and never modifies the input', () => {
    const before = structuredClone(spec);
    const mapped = mapTemplateStrings(spec, (text, pointer) => (pointer === '/envs/1/value' ? 'filled' : text)) as typeof spec;
    expect(mapped.envs[1]).toEqual({ key: 'B', value: 'filled' });
    expect(spec).toEqual(before);
    expect(mapped).not.toBe(spec);
    expect(mapped.envs).not.toBe(spec.envs);
    expect(mapped.envs[0]).toBe(spec.envs[0]);
    expect(mapped.image).toBe(spec.image);
    expect(mapTemplateStrings(spec, (text) => text)).toBe(spec);
  });
});
