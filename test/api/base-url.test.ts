import { describe, expect, it } from '@jest/globals';
import { assertSafeBaseUrl } from '../../src/api/index.js';
import { resolveApiRoot } from '../../src/api/base-url.js';
import { UsageError } from '../../src/common/errors.js';

describe('assertSafeBaseUrl', () => {
  it.each([
    'https://api.ppio.com',
    'https://api.novita.ai/',
    'http://127.0.0.1:4010',
    'http://127.8.9.10',
    'http://localhost:8080',
    'http://LOCALHOST',
    'http://[::1]:9000',
  ])('accepts %s', (url) => {
    expect(() => assertSafeBaseUrl(url)).not.toThrow();
  });

  it.each<[string, RegExp]>([
    ['http://api.ppio.com', /plain http:\/\/ to api\.ppio\.com.*unencrypted/],
    ['http://10.0.0.5:8080', /plain http:\/\/ to 10\.0\.0\.5/],
    ['http://128.0.0.1', /plain http:\/\//],
    ['http://localhost.evil.com', /plain http:\/\//],
    ['http://[::2]', /plain http:\/\//],
    ['not a url', /is not a valid URL: "not a url"/],
    ['', /is not a valid URL/],
    ['ftp://api.ppio.com', /must start with https:\/\//],
    ['https://user:pw@api.ppio.com', /must not contain credentials/],
    ['https://api.ppio.com/?x=1', /must not contain a query/],
  ])('refuses %s with a UsageError naming the setting', (url, message) => {
    let thrown: unknown;
    try {
      assertSafeBaseUrl(url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).toContain('PPIO_BASE_URL');
    expect((thrown as Error).message).toContain('baseUrl');
  });

  it('does not echo credentials embedded in a refused URL', () => {
    expect(() => assertSafeBaseUrl('https://bob:s3cret-pw@api.ppio.com')).toThrow(UsageError);
    try {
      assertSafeBaseUrl('https://bob:s3cret-pw@api.ppio.com');
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret-pw');
    }
  });
});

describe('resolveApiRoot', () => {
  it.each([
    ['https://api.ppio.com', 'https://api.ppio.com/gpu-instance/openapi/v1'],
    ['https://api.ppio.com/', 'https://api.ppio.com/gpu-instance/openapi/v1'],
    ['https://proxy.example.com/ppio//', 'https://proxy.example.com/ppio/gpu-instance/openapi/v1'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/gpu-instance/openapi/v1'],
  ])('%s → %s', (base, root) => {
    expect(resolveApiRoot(base)).toBe(root);
  });
});
