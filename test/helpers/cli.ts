/**
 * Runs the built CLI (dist/cli/main.js) as a child process, the way users and CI do.
 * `npm test` builds first (pretest).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(repoRoot, 'dist/cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a clean environment (no PPIO_* or CI from the parent unless given). */
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('PPIO_') && key !== 'CI' && !key.startsWith('GITHUB_') && key !== 'NODE_OPTIONS') env[key] = value;
  }
  env['NO_COLOR'] = '1';
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd ?? repoRoot, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh temp folder holding `files` (path → content); removed by `cleanup()`. */
export function tempProject(files: Record<string, string | Buffer> = {}): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ppio-test-'));
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(dir, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A valid spec as YAML text, with overrides spliced in as extra top-level lines. */
export function basicSpecYaml(name = 'sdxl-turbo', appName = name): string {
  return `# yaml-language-server: $schema=../schemas/endpoint.schema.json
name: ${name}
appName: ${appName}
image:
  image: ghcr.io/acme/sdxl:1.4.2
  command: python -m server --port 8080
workerConfig:
  minNum: 0
  maxNum: 4
  freeTimeout: 300
  maxConcurrent: 2
  gpuNum: 1
  requestTimeout: 120
ports:
  - port: 8080
policy:
  type: queue
  value: 30
products:
  - id: "1"
rootfsSize: 100
volumeMounts:
  - type: local
    size: 30
    mountPath: /workspace
healthy:
  path: /health
`;
}
