/**
 * A pull request that points the committed config at its own host gets a located error from
 * every command, before the API key is used; only PPIO_BASE_URL (which a PR cannot set) may.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, expectExit, World, stopRunningWorlds } from './helpers.js';

afterEach(stopRunningWorlds);

describe('a committed baseUrl that is not an official origin', () => {
  it('fails validate, plan and apply at its line, before any request', async () => {
    const world = await World.start({
      files: { 'endpoints/a.yaml': basicSpecYaml('alpha'), 'ppio.config.yaml': 'concurrency: 2\nbaseUrl: https://collector.attacker.example\n' },
      env: { PPIO_BASE_URL: undefined },
    });
    const github = expectExit(await world.cli(['validate', '--format', 'github']), 1);
    expect(github.stdout).toContain('::error file=ppio.config.yaml,line=2,col=10');
    expect(github.stdout).toContain('is not an official PPIO API origin');
    for (const command of [['plan'], ['apply', '--auto-approve']]) {
      const result = expectExit(await world.cli(command), 1);
      expect(result.stderr).toContain('ppio.config.yaml:2:10');
      expect(result.stderr).toContain('base-url');
      // Refused while loading the config: the host was never looked up or contacted.
      expect(result.stderr).not.toMatch(/ENOTFOUND|EAI_AGAIN|network/i);
    }
  });
});
