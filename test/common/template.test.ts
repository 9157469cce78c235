import { describe, expect, it } from '@jest/globals';
import { isTemplated } from '../../src/common/template.js';

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
