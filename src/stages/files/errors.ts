// A failed operation, with everything the failure report needs. Messages are already redacted.
import type { ConfigPath } from '../../diag/diagnostic.js';
import type { Op } from './plan/ops.js';

export interface CommandFailure {
  /** Redacted argv. */
  argv: string[];
  code: number;
  stderr: string;
}

export class OpError extends Error {
  constructor(
    message: string,
    readonly details: { op?: Op; index?: number; configPath?: ConfigPath; command?: CommandFailure; hint?: string } = {},
  ) {
    super(message);
    this.name = 'OpError';
  }
}
