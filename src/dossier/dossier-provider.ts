import { readJsonFile } from '../shared/line-files.ts';
import { join } from 'node:path';
import { z } from 'zod';
import { canonicalCode, DossierRecord } from './dossier-record.ts';

/** Where dossier statuses come from: the province's one-stop system, or the demo data. */
export interface DossierStatusProvider {
  /** The dossier, or null when the system has no dossier with this code; throws DossierLookupFailed when it cannot answer. */
  lookup(code: string): Promise<DossierRecord | null>;
  /** Shown in logs and, for the demo, to citizens: the answers are not real. */
  readonly demo: boolean;
}

/** The one-stop system did not answer usefully (timeout, 5xx, malformed data, circuit open). */
export class DossierLookupFailed extends Error {
  constructor(readonly reason: 'timeout' | 'unavailable' | 'malformed' | 'circuit_open') {
    super(`dossier lookup failed: ${reason}`);
    this.name = 'DossierLookupFailed';
  }
}

const DemoFile = z.object({ demo: z.literal(true), dossiers: z.array(DossierRecord) });

/**
 * The embedded default's provider: the seeded dossiers of knowledge/demo-dossiers.json (fake people,
 * every status), so a newcomer can try "000.00.12.H34-…" with no integration. Labelled demo.
 */
export class DemoDossierProvider implements DossierStatusProvider {
  readonly demo = true;
  private readonly byCode: ReadonlyMap<string, DossierRecord>;

  constructor(dossiers: readonly DossierRecord[]) {
    this.byCode = new Map(dossiers.map((d) => [canonicalCode(d.code), d]));
  }

  static load(knowledgeDir: string): DemoDossierProvider {
    const path = join(knowledgeDir, 'demo-dossiers.json');
    return new DemoDossierProvider(readJsonFile(path, DemoFile).dossiers);
  }

  async lookup(code: string): Promise<DossierRecord | null> {
    return this.byCode.get(canonicalCode(code)) ?? null;
  }
}
