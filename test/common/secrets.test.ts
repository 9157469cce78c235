import { describe, expect, it } from '@jest/globals';
import { createSecretMask, SENSITIVE } from '../../src/common/secrets.js';

const maskWith = (secrets: string[], text: string): string => {
  const mask = createSecretMask();
  mask.add(secrets);
  return mask.mask(text);
};

describe('the secret mask hides a value where it stands as a token', () => {
  const cases: [string, string[], string, string][] = [
    ['an API error quoting the value', ['turbo'], 'serverless product turbo not found', `serverless product ${SENSITIVE} not found`],
    [
      'quoted, at a line end, after "=" or ":"',
      ['turbo'],
      `"turbo" 'turbo' id=turbo key:turbo turbo.\nturbo`,
      `"${SENSITIVE}" '${SENSITIVE}' id=${SENSITIVE} key:${SENSITIVE} ${SENSITIVE}.\n${SENSITIVE}`,
    ],
    ['not inside a longer name', ['turbo'], 'sdxl-turbo turbo-xl turbos xturbo turbo_2', 'sdxl-turbo turbo-xl turbos xturbo turbo_2'],
    [
      'not inside a path or a file name',
      ['staging'],
      'endpoints/staging/api.yaml staging.yaml v1.staging',
      'endpoints/staging/api.yaml staging.yaml v1.staging',
    ],
    ['the longer of two overlapping secrets, whole', ['abcd', 'abcd efgh'], 'x abcd efgh y', `x ${SENSITIVE} y`],
    ['a tab escaped as \\u0009', ['pem\tkey'], 'product pem\\u0009key not found', `product ${SENSITIVE} not found`],
    ['a newline JSON-escaped', ['line1\nline2'], '{"message":"bad line1\\nline2"}', `{"message":"bad ${SENSITIVE}"}`],
    ['a quote JSON-escaped, then escaped again', ['say "hi"'], 'a say \\"hi\\" b say \\\\\\"hi\\\\\\" c', `a ${SENSITIVE} b ${SENSITIVE} c`],
    ['the raw value with its control characters', ['a\tbcd'], 'x a\tbcd y', `x ${SENSITIVE} y`],
    [
      'a value right after an escaped newline or tab',
      ['turbo'],
      'error:\\nturbo and\\tturbo and \\u0009turbo',
      `error:\\n${SENSITIVE} and\\t${SENSITIVE} and \\u0009${SENSITIVE}`,
    ],
    ['every occurrence, next to non-tokens', ['turbo'], 'sdxl-turbo turbo sdxl-turbo turbo', `sdxl-turbo ${SENSITIVE} sdxl-turbo ${SENSITIVE}`],
  ];
  it.each(cases)('%s', (_, secrets, text, expected) => {
    expect(maskWith(secrets, text)).toBe(expected);
  });

  it('leaves text alone when no secret is known, and ignores empty values', () => {
    expect(maskWith([], 'turbo')).toBe('turbo');
    expect(maskWith([''], 'a b')).toBe('a b');
  });

  it('learns secrets added later', () => {
    const mask = createSecretMask();
    mask.add(['first-secret']);
    mask.add(['second-secret']);
    expect(mask.mask('first-secret second-secret')).toBe(`${SENSITIVE} ${SENSITIVE}`);
  });
});
