import { OFFICIAL_API_ORIGINS, isCommittableBaseUrl } from '../common/api-origins.js';
import { diagnosticAt, type Diagnostic, type LocatedSource } from '../common/diagnostic.js';
import { joinPointer } from '../common/json-pointer.js';
import { isRecord } from '../common/record.js';

/**
 * A committed `baseUrl` (top level or an environment's) must be an official API origin or a
 * loopback address: otherwise a pull request could point the plan job, and the API key it
 * holds, at a host of its choosing without running any code.
 */
export function checkCommittedBaseUrls(config: Record<string, unknown>, source: LocatedSource): Diagnostic[] {
  const places: [string, unknown][] = [['/baseUrl', config['baseUrl']]];
  const environments = config['environments'];
  if (isRecord(environments)) {
    for (const [name, environment] of Object.entries(environments)) {
      if (isRecord(environment)) places.push([joinPointer('/environments', name, 'baseUrl'), environment['baseUrl']]);
    }
  }
  return places
    .filter((place): place is [string, string] => typeof place[1] === 'string' && !isCommittableBaseUrl(place[1]))
    .map(([pointer, url]) =>
      diagnosticAt(
        source,
        pointer,
        'base-url',
        `\`baseUrl\` ${JSON.stringify(url)} is not an official PPIO API origin (${OFFICIAL_API_ORIGINS.join(', ')}) or a loopback address; ` +
          'a committed config must not send the API key anywhere else. To use another host (a proxy), set PPIO_BASE_URL in the environment instead.',
      ),
    );
}
