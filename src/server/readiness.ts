/**
 * What `/ready` reports. The service is ready once startup has finished and until draining
 * begins; components (speech recognition, voice, store, webhooks) may report themselves degraded with a reason,
 * which the body shows without making the service unready.
 */
export type Phase = 'starting' | 'ready' | 'draining';

export interface ComponentStatus {
  status: 'ok' | 'degraded';
  /** A stable code for the reason (e.g. `not_configured`), for readers that translate it; branch on this, not on `reason`. */
  code?: string;
  reason?: string;
}

export class Readiness {
  private phase: Phase = 'starting';
  private readonly components = new Map<string, ComponentStatus>();

  get current(): Phase {
    return this.phase;
  }

  markReady(): void {
    if (this.phase === 'starting') this.phase = 'ready';
  }

  markDraining(): void {
    this.phase = 'draining';
  }

  setComponent(name: string, status: ComponentStatus): void {
    this.components.set(name, status);
  }

  report(): { ready: boolean; body: { status: Phase; components: Record<string, ComponentStatus> } } {
    return { ready: this.phase === 'ready', body: { status: this.phase, components: Object.fromEntries(this.components) } };
  }
}
