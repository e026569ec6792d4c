import { loadKnowledgeBase } from './src/knowledge/knowledge-base.ts';
const kb = loadKnowledgeBase('knowledge');
const q = 'cấp phiếu lý lịch tư pháp';
for (let i = 0; i < 3000; i++) kb.search.search(q + ' ' + (i % 50 === 0 ? 'x' : ''));
const s = performance.now(); for (let i = 0; i < 200; i++) kb.search.search(q + (i % 2 ? ' ' : '  ')); console.log('avg', ((performance.now() - s) / 200).toFixed(3));
