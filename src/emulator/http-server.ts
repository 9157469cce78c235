import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ApiFault, badRequest } from './api-fault.js';
import type { FaultSettings, RequestLogEntry } from './options.js';
import type { Random } from './random.js';
import { ROUTES } from './routes.js';
import { V2_ROUTES } from './serverless-products.js';
import type { Service } from './routes.js';

export const API_PREFIX = '/gpu-instance/openapi/v1';

/** Bodies above this are refused with 413 (the documented create body is a few KiB). */
const MAX_BODY_BYTES = 1024 * 1024;
/** Past this the sender is not a client but a flood: the connection is cut. */
const MAX_DRAINED_BYTES = 16 * MAX_BODY_BYTES;
const LOG_CAPACITY = 10_000;
/** The request log keeps a body only up to this size, so 10,000 entries stay a few MB. */
const LOGGED_BODY_MAX_BYTES = 2048;

export interface PipelineSettings {
  service: Service;
  faults: FaultSettings;
  /** One draw per switch per request, in arrival order, so a seed replays the same faults. */
  random: Random;
  apiKey: string | undefined;
  requestLog: RequestLogEntry[];
  onRequest: ((entry: RequestLogEntry) => void) | undefined;
}

interface FaultDraws {
  rateLimit: number;
  error: number;
  drop: number;
}

/**
 * The HTTP side of the emulator: reads the body (at most 1 MiB), waits the configured
 * latency, injects faults, checks the bearer key, runs the operation and answers in the
 * service's error shape whatever goes wrong. Nothing a client sends can crash it.
 */
export class EmulatorHttpServer {
  readonly server: http.Server;
  private readonly waiting = new Set<() => void>();
  private stopped = false;

  constructor(private readonly settings: PipelineSettings) {
    this.server = http.createServer({ keepAlive: true, keepAliveTimeout: 5000, requestTimeout: 30_000 }, (request, response) => {
      this.serve(request, response).catch((error: unknown) => this.answerUnexpected(response, error));
    });
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerMalformedHttp(error, socket));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port, host, backlog: 1024 }, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const release of this.waiting) release();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = Date.now();
    const { random, faults } = this.settings;
    const draws: FaultDraws = { rateLimit: random(), error: random(), drop: random() };
    const entry: RequestLogEntry = { method: request.method ?? '', path: request.url ?? '', status: 0, durationMs: 0 };
    const body = await readBody(request);
    if (faults.latencyMs > 0) await this.wait(faults.latencyMs);
    if (this.stopped) {
      request.socket.destroy();
      return;
    }
    try {
      const result = this.run(request, body, draws, entry);
      if (result.drop) {
        entry.fault = 'drop';
        // The create is committed; the client never learns its id.
        response.socket?.destroy();
      } else if (result.failAfterCommit) {
        entry.fault = 'error-after-commit';
        throw new ApiFault(500, 'UNKNOWN', 'internal server error (injected by the emulator after the change was committed)');
      } else {
        entry.status = 200;
        sendJson(response, 200, result.body);
      }
    } catch (error) {
      const fault = error instanceof ApiFault ? error : internalFault(error);
      entry.status = fault.status;
      entry.reason = fault.reason;
      sendJson(response, fault.status, fault.toBody(), fault.headers);
    }
    entry.durationMs = Date.now() - started;
    this.record(entry);
  }

  private run(
    request: IncomingMessage,
    body: BodyRead,
    draws: FaultDraws,
    entry: RequestLogEntry,
  ): { body: unknown; drop: boolean; failAfterCommit: boolean } {
    const { faults } = this.settings;
    const url = parseRequestUrl(request.url);
    const path = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : v2Path(url.pathname, this.settings.service);
    // Logged before the fault draws, so an injected fault names the operation it hit.
    if (path !== undefined) entry.path = path + url.search;
    if (draws.rateLimit < faults.rateLimitRate) {
      entry.fault = 'rate-limit';
      throw new ApiFault(429, 'RATE_LIMIT_EXCEEDED', 'rate limit exceeded, retry later', {
        'retry-after': String(faults.retryAfterSeconds),
      });
    }
    if (draws.error < faults.errorRate) {
      entry.fault = 'error';
      throw new ApiFault(500, 'UNKNOWN', 'internal server error (injected by the emulator)');
    }
    checkAuthorization(request.headers.authorization, this.settings.apiKey);
    if (path === undefined) throw pathNotFound(url.pathname);
    const route = ROUTES.get(path) ?? V2_ROUTES.get(path);
    if (route === undefined) throw pathNotFound(url.pathname);
    if (request.method !== route.method) {
      throw new ApiFault(405, 'METHOD_NOT_ALLOWED', `${request.method ?? ''} is not allowed on ${url.pathname}; use ${route.method}`);
    }
    if (request.method === 'POST') entry.bodyBytes = body.bytes;
    if (body.tooLarge) throw new ApiFault(413, 'REQUEST', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    const parsedBody = route.method === 'POST' ? parseJsonBody(body.text) : undefined;
    if (parsedBody !== undefined && body.bytes <= LOGGED_BODY_MAX_BYTES) entry.body = parsedBody;
    if (route.droppable === true && faults.refuseCreates > 0) {
      entry.fault = 'refused-create';
      throw new ApiFault(
        400,
        'SERVERLESS_RESOURCE_INSUFFICIENT',
        'no GPU capacity for the requested product, try again later (injected by the emulator)',
      );
    }
    const result = route.handle({ query: url.searchParams, body: parsedBody }, this.settings.service);
    // One draw decides both create faults, so a seed gives the same sequence with either switch off.
    const droppable = route.droppable === true;
    const drop = droppable && draws.drop < faults.dropRate;
    const failAfterCommit = droppable && !drop && draws.drop < faults.dropRate + faults.commitErrorRate;
    return { body: result, drop, failAfterCommit };
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.waiting.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.waiting.add(release);
    });
  }

  private answerUnexpected(response: ServerResponse, error: unknown): void {
    const fault = internalFault(error);
    sendJson(response, fault.status, fault.toBody());
  }

  private record(entry: RequestLogEntry): void {
    const log = this.settings.requestLog;
    log.push(entry);
    if (log.length > LOG_CAPACITY) log.splice(0, log.length - LOG_CAPACITY);
    this.settings.onRequest?.(entry);
  }
}

interface BodyRead {
  text: string;
  bytes: number;
  tooLarge: boolean;
}

/**
 * Buffers at most 1 MiB. A larger body is drained and discarded (not buffered) so the
 * client can finish sending and read the 413; a flood beyond that cuts the connection.
 */
function readBody(request: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (received > MAX_DRAINED_BYTES) request.destroy();
    });
    request.on('end', () => {
      const tooLarge = received > MAX_BODY_BYTES;
      resolve({ text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), bytes: received, tooLarge });
    });
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete) reject(new Error('the client closed the connection mid-request'));
    });
  });
}

function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw badRequest(`request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('request body must be a JSON object');
  return body;
}

/** No key → 401 UNAUTHORIZED; with `--api-key`, another key → 403 INVALID_API_KEY. */
function checkAuthorization(header: string | undefined, apiKey: string | undefined): void {
  const key = /^Bearer\s+(.*)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  if (key === '') throw new ApiFault(401, 'UNAUTHORIZED', 'missing bearer token: send Authorization: Bearer <API key>');
  if (apiKey !== undefined && key !== apiKey) throw new ApiFault(403, 'INVALID_API_KEY', 'invalid API key');
}

function parseRequestUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://emulator.invalid');
  } catch {
    throw badRequest('request target is not a valid URL');
  }
}

/** A v2 path keeps its full form (and shows so in the log); the product list only when served. */
function v2Path(pathname: string, service: Service): string | undefined {
  return V2_ROUTES.has(pathname) && service.serveProductList ? pathname : undefined;
}

function pathNotFound(path: string): ApiFault {
  return new ApiFault(404, 'NOT_FOUND', `no such API path: ${path}`);
}

function internalFault(error: unknown): ApiFault {
  return new ApiFault(500, 'UNKNOWN', `internal emulator error: ${error instanceof Error ? error.message : String(error)}`);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function answerMalformedHttp(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(badRequest(`malformed HTTP request: ${error.code ?? error.message}`).toBody());
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
