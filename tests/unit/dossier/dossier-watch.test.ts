import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChannelDirectory } from '../../../src/core/channel-directory.ts';
import { LocalAdapter } from '../../../src/core/local-adapter.ts';
import { ReplyTexts } from '../../../src/core/reply-texts.ts';
import { DossierAnswers } from '../../../src/dossier/dossier-answers.ts';
import { DemoDossierProvider } from '../../../src/dossier/dossier-provider.ts';
import { DossierRecord, maskName } from '../../../src/dossier/dossier-record.ts';
import { DossierWatch } from '../../../src/dossier/dossier-watch.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { MemoryStorage } from '../../../src/state/memory-storage.ts';
import { KNOWLEDGE_DIR } from '../../helpers/knowledge.ts';

const dossier = (status: DossierRecord['status']): DossierRecord =>
  DossierRecord.parse({
    code: '000.00.12.H34-261120-0042',
    procedure: { name: 'Cấp Phiếu lý lịch tư pháp' },
    status,
    dueDate: '2026-12-04',
    applicant: { name: 'Trần Thị Bích Ngọc', phoneLast4: '4321' },
    ...(status === 'ready_for_pickup' ? { pickup: { place: 'Quầy số 2', bring: ['Căn cước'] } } : {}),
  });

describe('DossierWatch', () => {
  it('keeps the news for the next message when the channel cannot be written to now, and gives it once', async () => {
    const texts = ReplyTexts.load(join(KNOWLEDGE_DIR, 'replies.json'));
    let current = dossier('processing');
    const provider = { demo: false, lookup: async () => current };
    const channels = new ChannelDirectory();
    const sent: unknown[] = [];
    const adapter = new LocalAdapter();
    adapter.use({
      onTurn: async (context, next) => (
        context.onSendActivities(async (_c, activities, go) => (sent.push(...activities), go())),
        next()
      ),
    });
    channels.connect('facebook', adapter, { agentCanReply: async () => false, botCanSend: async () => false });
    const storage = new MemoryStorage();
    const watch = new DossierWatch(
      storage,
      provider,
      new DossierAnswers(texts, false),
      texts,
      channels,
      createLogger('silent'),
      () => Date.parse('2026-11-30T02:00:00Z'),
    );
    await watch.follow(
      'facebook:42',
      { channelId: 'facebook', conversationId: '42', userId: '42', botId: 'page' },
      current,
    );
    expect(await watch.poll()).toBe(0);
    current = dossier('ready_for_pickup');
    expect(await watch.poll()).toBe(1);
    expect(sent).toEqual([]);
    const news = await watch.takePending('facebook:42');
    expect(news).toHaveLength(1);
    expect(news[0]!.text).toMatch(/vừa có cập nhật[\s\S]*Quầy số 2/);
    expect(await watch.takePending('facebook:42')).toEqual([]);
    // A second process's watch waits for the lease instead of polling the same dossiers.
    const other = new DossierWatch(
      storage,
      provider,
      new DossierAnswers(texts, false),
      texts,
      channels,
      createLogger('silent'),
      () => Date.parse('2026-11-30T02:00:10Z'),
    );
    current = dossier('cancelled');
    expect(await other.poll()).toBe(0);
  });

  it('masks names the way the center writes them', () => {
    expect(maskName('Nguyễn Văn An')).toBe('Nguyễn V. A.');
    expect(maskName('  Lê   thị  hồng ')).toBe('Lê T. H.');
    expect(maskName('Ánh')).toBe('Ánh');
  });

  it('reads the demo file, whose every dossier is demo data', async () => {
    const file = JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'demo-dossiers.json'), 'utf8')) as {
      demo: boolean;
      dossiers: { code: string }[];
    };
    const provider = DemoDossierProvider.load(KNOWLEDGE_DIR);
    // Every dossier of the file is found by its code, typed as a citizen might; no other is.
    expect(file.dossiers.length).toBeGreaterThan(0);
    for (const d of file.dossiers) expect((await provider.lookup(` ${d.code.toLowerCase()} `))?.code).toBe(d.code);
    expect(await provider.lookup('000.00.12.H34-991231-9999')).toBeNull();
    // What it answers says it is sample data.
    const texts = ReplyTexts.load(join(KNOWLEDGE_DIR, 'replies.json'));
    const found = (await provider.lookup(file.dossiers[0]!.code))!;
    expect(new DossierAnswers(texts, provider.demo).brief(found)).toContain(texts.say('dossier_demo'));
    // A file that does not say it is demo data is refused, rather than shown to citizens as real dossiers.
    const dir = mkdtempSync(join(tmpdir(), 'demo-dossiers-'));
    writeFileSync(join(dir, 'demo-dossiers.json'), JSON.stringify({ ...file, demo: false }));
    expect(() => DemoDossierProvider.load(dir)).toThrow();
  });
});
