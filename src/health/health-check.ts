/** A component the webadmin healthcheck reports on. Names are part of the contract: monitoring matches them literally. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthResult {
  status: HealthStatus;
  cause?: string | null;
}

export interface HealthCheck {
  readonly componentName: string;
  check(): Promise<HealthResult>;
}

/** Registration point shared by main.ts and every adapter that wants to be checked. */
export class HealthChecks {
  private readonly checks: HealthCheck[] = [];

  register(check: HealthCheck): void {
    this.checks.push(check);
  }

  all(): readonly HealthCheck[] {
    return this.checks;
  }

  find(name: string): HealthCheck | undefined {
    return this.checks.find((c) => c.componentName === name);
  }

  /** Runs a check with a time limit; a throw or a time-out is `unhealthy` with its reason. */
  static async run(check: HealthCheck, timeoutMs = 5_000): Promise<Required<HealthResult>> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<HealthResult>((resolve) => {
        timer = setTimeout(() => resolve({ status: 'unhealthy', cause: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      const r = await Promise.race([check.check(), timeout]);
      return { status: r.status, cause: r.cause ?? null };
    } catch (e) {
      return { status: 'unhealthy', cause: (e as Error).message ?? String(e) };
    } finally {
      clearTimeout(timer);
    }
  }
}

export function worst(statuses: HealthStatus[]): HealthStatus {
  if (statuses.includes('unhealthy')) return 'unhealthy';
  if (statuses.includes('degraded')) return 'degraded';
  return 'healthy';
}

/** Healthy once the service has finished starting (the reference's component name, kept for monitoring). */
export class LifecycleHealthCheck implements HealthCheck {
  readonly componentName = 'Guice application lifecycle';
  private started = false;
  private stopping = false;
  markStarted(): void {
    this.started = true;
  }
  markStopping(): void {
    this.stopping = true;
  }
  async check(): Promise<HealthResult> {
    if (this.stopping) return { status: 'unhealthy', cause: 'shutting down' };
    return this.started ? { status: 'healthy' } : { status: 'unhealthy', cause: 'starting' };
  }
}
