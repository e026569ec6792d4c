import type { Logger } from '../shared/logger.ts';
import { CircuitBreaker } from '../shared/circuit-breaker.ts';
import { canonicalCode, DossierRecord } from './dossier-record.ts';
import { DossierLookupFailed, type DossierStatusProvider } from './dossier-provider.ts';

export interface HttpDossierOptions {
  baseUrl: string;
  token: string | undefined;
  timeoutMs: number;
  log: Logger;
}

/**
 * The province's one-stop system over the JSON contract of adapters/one-stop/one-stop-api.openapi.yaml.
 * A short timeout and a circuit breaker: a dead backend answers "cannot check now" at once instead
 * of slowing every turn.
 */
export class HttpDossierProvider implements DossierStatusProvider {
  readonly demo = false;
  private readonly breaker = new CircuitBreaker({ failures: 5, openMs: 30_000 });

  constructor(private readonly options: HttpDossierOptions) {}

  async lookup(code: string): Promise<DossierRecord | null> {
    if (!this.breaker.allows()) throw new DossierLookupFailed('circuit_open');
    try {
      const found = await this.fetch(code);
      this.breaker.succeeded();
      return found;
    } catch (err) {
      const failure = err instanceof DossierLookupFailed ? err : new DossierLookupFailed('unavailable');
      this.breaker.failed();
      this.options.log.warn({ reason: failure.reason, circuit: this.breaker.state }, 'dossier.lookup.failed');
      throw failure;
    }
  }

  private async fetch(code: string): Promise<DossierRecord | null> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/dossiers/${encodeURIComponent(canonicalCode(code))}`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: this.options.token === undefined ? {} : { authorization: `Bearer ${this.options.token}` },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      throw new DossierLookupFailed((err as Error).name === 'TimeoutError' ? 'timeout' : 'unavailable');
    }
    if (res.status === 404) return null;
    if (!res.ok) throw new DossierLookupFailed('unavailable');
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new DossierLookupFailed('malformed');
    }
    const parsed = DossierRecord.safeParse(json);
    if (!parsed.success) throw new DossierLookupFailed('malformed');
    return parsed.data;
  }
}
