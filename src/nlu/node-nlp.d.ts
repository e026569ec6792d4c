/** The part of node-nlp (which ships no types) this project uses. */
declare module 'node-nlp' {
  import type { NlpContainer } from '@nlpjs/nlp';

  export interface NlpClassification {
    intent: string;
    score: number;
  }

  export interface NlpProcessResult {
    locale: string;
    utterance: string;
    intent: string;
    score: number;
    classifications: NlpClassification[];
  }

  export interface NlpManagerSettings {
    languages?: string[];
    container?: NlpContainer;
    forceNER?: boolean;
    autoSave?: boolean;
    autoLoad?: boolean;
    threshold?: number;
    calculateSentiment?: boolean;
    nlu?: Record<string, unknown>;
    [setting: string]: unknown;
  }

  export class NlpManager {
    constructor(settings?: NlpManagerSettings);
    readonly container: NlpContainer;
    /** The @nlpjs/nlp instance behind the manager; its NLU manager classifies without the rest of process(). */
    readonly nlp: {
      nluManager: {
        process(locale: string, utterance: string): Promise<NlpProcessResult>;
      };
    };
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<NlpProcessResult>;
    export(minified?: boolean): string;
    import(data: string | object): void;
  }
}
