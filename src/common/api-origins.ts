/**
 * Where the API key may be sent. A committed config can name only these (a pull request
 * edits the config, and the plan job holds the key); PPIO_BASE_URL, which a pull request
 * cannot set, may name any host.
 */
import { isIPv4 } from 'node:net';

export const OFFICIAL_API_ORIGINS = ['https://api.ppio.com', 'https://api.ppinfra.com', 'https://api.novita.ai'] as const;

/** `hostname` as the WHATWG URL parser gives it (IPv4 normalised, IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return true;
  if (host === '[::1]') return true;
  return isIPv4(host) && host.startsWith('127.');
}

/** An official API origin, or a loopback address (an emulator on this machine). */
export function isCommittableBaseUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if ((OFFICIAL_API_ORIGINS as readonly string[]).includes(parsed.origin)) return true;
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopbackHost(parsed.hostname);
}
