/** The parts of nlp.js's engine (the packages inside node-nlp, which ship no types) this project uses. */
declare module '@nlpjs/core-loader' {
  import type { NlpContainer } from '@nlpjs/nlp';
  export function containerBootstrap(): NlpContainer;
}

declare module '@nlpjs/nlp' {
  export interface NlpContainer {
    use(item: object): string;
    get(name: string): unknown;
    register(name: string, item: object, singleton: boolean): void;
    registerConfiguration(tag: string, configuration: object): void;
  }

  export interface NlpClassification {
    intent: string;
    score: number;
  }

  export class Nlp {
    constructor(settings: Record<string, unknown> & { container: NlpContainer });
    readonly nluManager: {
      process(locale: string, utterance: string): Promise<{ classifications?: NlpClassification[] }>;
    };
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    export(minified?: boolean): string;
    import(data: string | object): void;
  }
}
