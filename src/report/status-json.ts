/** The machine status: the StatusReport as one JSON document, two-space indent. */
import type { StatusReport } from '../status/index.js';
import type { Formatter } from './types.js';

export const formatStatusJson: Formatter<StatusReport> = (report, sink) => {
  sink.write(`${JSON.stringify(report, null, 2)}\n`);
};
