import { describe, expect, it } from '@jest/globals';
import type { Diagnostic } from '../../src/common/diagnostic.js';
import { stringSink } from '../../src/report/types.js';
import { escapeData, escapeProperty, formatValidationGithub } from '../../src/report/validation-github.js';
import { formatValidationJson } from '../../src/report/validation-json.js';
import { createValidationReport, summarizeValidation, type ValidationReport } from '../../src/report/validation-report.js';
import { formatValidationText } from '../../src/report/validation-text.js';
import { selectValidationFormatter } from '../../src/report/validation-formatters.js';

const diagnostic = (overrides: Partial<Diagnostic>): Diagnostic => ({
  severity: 'error',
  rule: 'reserved-port',
  message: 'port 2222 is reserved by the platform',
  file: 'endpoints/a.yaml',
  line: 3,
  column: 11,
  path: '/ports/0/port',
  ...overrides,
});

const SOURCE = ['name: a', 'ports:', '  - port: 2222', 'envs:', '  - key: HF_TOKEN', '    value: hf_plain_secret', ''].join('\n');

const render = (
  formatter: (r: ValidationReport, s: ReturnType<typeof stringSink>, o: { color: boolean }) => void,
  report: ValidationReport,
  color = false,
) => {
  const sink = stringSink();
  formatter(report, sink, { color });
  return sink.text();
};

const secretWarning = diagnostic({
  severity: 'warning',
  rule: 'plaintext-secret',
  message: 'env `HF_TOKEN` looks like a secret but its value is plain text',
  line: 6,
  column: 12,
  path: '/envs/0/value',
});

function sampleReport(): ValidationReport {
  return createValidationReport({
    files: 2,
    endpoints: 3,
    diagnostics: [
      secretWarning,
      diagnostic({}),
      diagnostic({ file: 'endpoints/0.yaml', line: 1, column: 1, rule: 'missing-key', message: 'missing required key `healthy`', path: '' }),
    ],
    readSource: (file) => (file === 'endpoints/a.yaml' ? SOURCE : undefined),
  });
}

describe('createValidationReport', () => {
  it('splits, sorts and counts once', () => {
    const report = sampleReport();
    expect(report.valid).toBe(false);
    expect(report.errors.map((d) => `${d.file}:${d.line}`)).toEqual(['endpoints/0.yaml:1', 'endpoints/a.yaml:3']);
    expect(report.warnings.map((d) => d.rule)).toEqual(['plaintext-secret']);
    expect(summarizeValidation(report)).toBe('2 errors, 1 warning in 2 files (3 endpoints)');
  });

  it('keeps only the lines code frames need, with plain-text secrets masked', () => {
    expect(sampleReport().sourceLines).toEqual({
      'endpoints/a.yaml': { 2: 'ports:', 3: '  - port: 2222', 5: '  - key: HF_TOKEN', 6: '    value: ********' },
    });
  });

  it('a report with only warnings is valid', () => {
    const report = createValidationReport({ files: 1, endpoints: 1, diagnostics: [secretWarning] });
    expect(report.valid).toBe(true);
    expect(summarizeValidation(report)).toBe('✓ 1 file, 1 endpoint valid (1 warning)');
  });

  it('summary of a clean project', () => {
    expect(summarizeValidation(createValidationReport({ files: 3, endpoints: 4, diagnostics: [] }))).toBe('✓ 3 files, 4 endpoints valid');
  });
});

describe('validation text format', () => {
  it('prints file:line:col, severity, rule, message and a code frame with a caret', () => {
    expect(render(formatValidationText, sampleReport())).toBe(
      [
        'endpoints/0.yaml:1:1  error  missing-key  missing required key `healthy`',
        '',
        'endpoints/a.yaml:3:11  error  reserved-port  port 2222 is reserved by the platform',
        '  2 | ports:',
        '  3 |   - port: 2222',
        '    |           ^',
        '',
        'endpoints/a.yaml:6:12  warning  plaintext-secret  env `HF_TOKEN` looks like a secret but its value is plain text',
        '  5 |   - key: HF_TOKEN',
        '  6 |     value: ********',
        '    |            ^',
        '',
        '2 errors, 1 warning in 2 files (3 endpoints)',
        '',
      ].join('\n'),
    );
  });

  it('never prints a plain-text secret', () => {
    expect(render(formatValidationText, sampleReport())).not.toContain('hf_plain_secret');
  });

  it('keeps tabs in the caret line so it lines up', () => {
    const report = createValidationReport({
      files: 1,
      endpoints: 1,
      diagnostics: [diagnostic({ line: 1, column: 4 })],
      readSource: () => '\t\tx: 2222\n',
    });
    expect(render(formatValidationText, report)).toContain('  1 | \t\tx: 2222\n    | \t\t ^\n');
  });

  it('uses colours only when asked', () => {
    expect(render(formatValidationText, sampleReport(), false)).not.toContain('\u001b[');
    expect(render(formatValidationText, sampleReport(), true)).toContain('\u001b[31merror\u001b[39m');
  });

  it('a valid project prints just the summary', () => {
    const report = createValidationReport({ files: 3, endpoints: 4, diagnostics: [] });
    expect(render(formatValidationText, report)).toBe('✓ 3 files, 4 endpoints valid\n');
  });
});

describe('validation json format', () => {
  it('is exactly the documented `validate --format json` object', () => {
    const parsed = JSON.parse(render(formatValidationJson, sampleReport())) as unknown;
    expect(parsed).toEqual({
      valid: false,
      files: 2,
      endpoints: 3,
      errors: [
        { file: 'endpoints/0.yaml', line: 1, column: 1, path: '', rule: 'missing-key', message: 'missing required key `healthy`' },
        {
          file: 'endpoints/a.yaml',
          line: 3,
          column: 11,
          path: '/ports/0/port',
          rule: 'reserved-port',
          message: 'port 2222 is reserved by the platform',
        },
      ],
      warnings: [
        {
          file: 'endpoints/a.yaml',
          line: 6,
          column: 12,
          path: '/envs/0/value',
          rule: 'plaintext-secret',
          message: 'env `HF_TOKEN` looks like a secret but its value is plain text',
        },
      ],
    });
  });

  it('a valid project is one document too', () => {
    const text = render(formatValidationJson, createValidationReport({ files: 1, endpoints: 1, diagnostics: [] }));
    expect(JSON.parse(text)).toEqual({ valid: true, files: 1, endpoints: 1, errors: [], warnings: [] });
  });
});

describe('validation github format', () => {
  it('prints one workflow command per diagnostic, then the summary', () => {
    expect(render(formatValidationGithub, sampleReport())).toBe(
      [
        '::error file=endpoints/0.yaml,line=1,col=1,title=missing-key::missing required key `healthy`',
        '::error file=endpoints/a.yaml,line=3,col=11,title=reserved-port::port 2222 is reserved by the platform',
        '::warning file=endpoints/a.yaml,line=6,col=12,title=plaintext-secret::env `HF_TOKEN` looks like a secret but its value is plain text',
        '2 errors, 1 warning in 2 files (3 endpoints)',
        '',
      ].join('\n'),
    );
  });

  it('escapes data and property values per the workflow-command rules', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('dir,x/a:b%.yaml\n')).toBe('dir%2Cx/a%3Ab%25.yaml%0A');
    const report = createValidationReport({
      files: 1,
      endpoints: 1,
      diagnostics: [diagnostic({ file: 'we,ird:name.yaml', message: 'line one\nline two 50%' })],
    });
    expect(render(formatValidationGithub, report).split('\n')[0]).toBe(
      '::error file=we%2Cird%3Aname.yaml,line=3,col=11,title=reserved-port::line one%0Aline two 50%25',
    );
  });
});

describe('selectValidationFormatter', () => {
  it('maps each format to its formatter', () => {
    expect(selectValidationFormatter('text')).toBe(formatValidationText);
    expect(selectValidationFormatter('json')).toBe(formatValidationJson);
    expect(selectValidationFormatter('github')).toBe(formatValidationGithub);
  });
});

describe('diagnostics per file are capped', () => {
  it('shows the first 100 of a file and counts the rest in one more diagnostic', () => {
    const many = Array.from({ length: 250 }, (_, i) => diagnostic({ line: i + 1 }));
    const report = createValidationReport({ files: 2, endpoints: 2, diagnostics: [...many, diagnostic({ file: 'endpoints/b.yaml' })] });
    const inA = report.errors.filter((d) => d.file === 'endpoints/a.yaml');
    expect(inA).toHaveLength(101);
    expect(inA.filter((d) => d.rule === 'reserved-port').map((d) => d.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(inA.find((d) => d.rule === 'more-problems')?.message).toBe('150 more problems in this file not shown (100 are); fix these first');
    expect(report.errors.filter((d) => d.file === 'endpoints/b.yaml')).toHaveLength(1);
  });
});
