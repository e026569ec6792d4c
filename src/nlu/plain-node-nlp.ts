import { NlpManager } from 'node-nlp';
import { quiet } from './intent-classifier.ts';

/**
 * Plain node-nlp with its default settings and no Vietnamese plugin: the baseline our pipeline is
 * measured against (eval:nlu, bench). Only those import it: node-nlp loads every language of nlp.js.
 */
export function plainNodeNlp(): NlpManager {
  const manager = new NlpManager({ languages: ['vi'], nlu: { log: false }, autoSave: false, autoLoad: false });
  quiet(manager.container);
  return manager;
}
