/**
 * What GET /api/v1/diagnostics answers: the bridge's view of its own dependencies, each as a
 * verdict with what it saw and the fix. Nothing about any call or patient: vendor verdicts, the
 * store's state, disk, clock and webhook receivers' reachability.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface InsideCheck {
  /** Stable id, e.g. `speech.key`, `store`, `webhook.receiver`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was tried and what came back, in one line (no secrets, no phone numbers). */
  saw: string;
  /** One or two lines saying how to fix it; absent on a pass. */
  fix?: string;
}

export interface DiagnosticsReport {
  service: string;
  version: string;
  build: string;
  instance: string;
  /** PUBLIC_URL as the bridge has it (null: derived from each request's Host). */
  publicUrl: string | null;
  checkedAt: string;
  checks: InsideCheck[];
}
