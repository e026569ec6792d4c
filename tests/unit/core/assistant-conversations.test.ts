import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../src/assistant.ts';
import { conversationWith, testAssistant } from '../../helpers/assistant.ts';

let assistant: Assistant;
beforeAll(async () => {
  assistant = await testAssistant();
});
afterAll(() => assistant.close());

const conversation = () => conversationWith(assistant);

describe('answers about a procedure, only from its catalogue record', () => {
  it('lists the common papers as a numbered checklist, forms first, with the form and the source link', async () => {
    const turn = await conversation()('làm lltp cần giấy tờ gì');
    expect(turn.intent).toBe('procedure_documents');
    expect(turn.procedure).toBe('3.000333');
    // The short name: the official one is three lines long.
    expect(turn.text).toMatch(/^Dạ, làm «Phiếu lý lịch tư pháp» cần mang:/);
    expect(turn.text).toMatch(/\n1\. Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp \(mẫu 01\/2025\/LLTP\) – 1 bản chính/);
    // The authorisation case is behind the button, not in the list.
    expect(turn.text).not.toMatch(/Văn bản ủy quyền/);
    expect(turn.text).toContain(
      'Nguồn: https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-bd79-75fb-a4c6-ba1bf85d20ad',
    );
    expect(turn.buttons).toEqual(['Xem đủ giấy tờ', 'Lệ phí', 'Thời hạn', 'Nộp ở đâu', 'Nộp trực tuyến', 'Gặp cán bộ']);
  });

  it('answers a long list in one phone-sized message, the common case first, the rest behind a button', async () => {
    const say = conversation();
    const turn = await say('thủ tục đăng ký khai sinh cần những giấy tờ gì');
    expect(turn.procedure).toBe('1.001193');
    expect(turn.replies).toHaveLength(1);
    expect(turn.text.length).toBeLessThanOrEqual(600);
    // The birth certificate, not "Trường hợp trẻ em bị bỏ rơi…" (row 1 of the catalogue's 33), and no "0 bản".
    expect(turn.text).toMatch(/\n\d\. Giấy chứng sinh – 1 bản chính/);
    expect(turn.text).not.toMatch(/bỏ rơi|0 bản|…/);
    expect(turn.buttons[0]).toBe('Xem đủ giấy tờ');
    const all = await say('Xem đủ giấy tờ');
    expect(all.intent).toBe('procedure_documents');
    expect(all.replies.map((r) => r.text).join('\n')).toMatch(/Trường hợp riêng:[\s\S]*bỏ rơi/);
    for (const reply of all.replies) expect(reply.text.length).toBeLessThanOrEqual(600);
    expect(all.replies.slice(0, -1).every((r) => r.suggestedActions.length === 0)).toBe(true);
    expect(all.replies.at(-1)!.text).toContain('Nguồn: https://dichvucong.gov.vn/');
  });

  it('states the real fee where the portal wrote "Miễn phí" next to an amount', async () => {
    const turn = await conversation()('đổi gplx hết bao nhiêu tiền');
    expect(turn.intent).toBe('procedure_fee');
    expect(turn.procedure).toBe('3.000347');
    expect(turn.text).toContain('135.000 đồng');
    expect(turn.text).not.toMatch(/:\s*Miễn phí\.?$/m);
  });

  it('says the amount the cited act sets when the record only cites it, and that a later act may have changed it', async () => {
    const turn = await conversation()('phí cấp phiếu lý lịch tư pháp');
    expect(turn.text).toMatch(/theo Thông tư 244\/2016\/TT-BTC: 200\.000 đồng\/lần/);
    expect(turn.text).toContain('có thể đã được Thông tư 16/2025/TT-BTC thay đổi');
    // Unsure of today's amount: a person and the hotline, and the act's public source.
    expect(turn.text).toMatch(/hỏi cán bộ hoặc gọi đường dây nóng/);
    expect(turn.text).toMatch(/Nguồn mức thu: https:\/\//);
    expect(turn.text).not.toMatch(/Miễn phí|Danh mục ghi/);
  });

  it('answers where and how to submit, and the online link', async () => {
    const where = await conversation()('đổi bằng lái nộp ở đâu');
    expect(where.intent).toBe('procedure_where');
    expect(where.text).toMatch(/^Dạ, «Đổi giấy phép lái xe» nộp tại: /);
    expect(where.text).toMatch(/Cách nộp: .*trực tiếp/);
    const online = await conversation()('đổi bằng lái làm online được không');
    expect(online.intent).toBe('procedure_online');
    expect(online.text).toContain('https://dichvucong.gov.vn');
  });
});

describe('conversation context', () => {
  it('answers follow-ups about the procedure in discussion', async () => {
    const say = conversation();
    await say('làm lý lịch tư pháp cần gì');
    const fee = await say('phí bao nhiêu?');
    expect(fee).toMatchObject({ intent: 'procedure_fee', procedure: '3.000333' });
    const time = await say('còn thời gian thì sao');
    expect(time).toMatchObject({ intent: 'procedure_duration', procedure: '3.000333' });
    expect(time.text).toContain('mất 10 ngày');
  });

  it('asks of a new procedure what was just asked ("còn X thì sao?")', async () => {
    const say = conversation();
    await say('đăng ký khai sinh cần giấy tờ gì');
    expect(await say('còn đăng ký kết hôn thì sao')).toMatchObject({
      intent: 'procedure_documents',
      procedure: '1.000894',
    });
  });

  it('keeps the procedure in discussion when a follow-up only repeats words of its name', async () => {
    const say = conversation();
    await say('cấp lại giấy phép lái xe');
    expect(await say('cấp lại thì cần giấy tờ gì')).toMatchObject({
      intent: 'procedure_documents',
      procedure: '3.000348',
    });
  });

  it('understands a tapped quick reply as the question it names', async () => {
    const say = conversation();
    await say('đổi giấy phép lái xe');
    expect(await say('Thời hạn')).toMatchObject({ intent: 'procedure_duration', procedure: '3.000347' });
    expect(await say('Lệ phí')).toMatchObject({ intent: 'procedure_fee', procedure: '3.000347' });
  });

  it('asks which procedure when none is in discussion, then answers the question asked first', async () => {
    const say = conversation();
    const ask = await say('lệ phí bao nhiêu vậy');
    expect(ask).toMatchObject({ intent: 'procedure_fee', procedure: null });
    expect(ask.text).toContain('thủ tục nào');
    const answer = await say('đăng ký kết hôn');
    expect(answer).toMatchObject({ intent: 'procedure_fee', procedure: '1.000894' });
  });

  it('answers the likeliest of close matches, offers them numbered, and understands "số 2" and "cái thứ hai"', async () => {
    for (const pick of ['số 2', 'cái thứ hai', '2']) {
      const say = conversation();
      const offer = await say('thủ tục cấp giấy phép lái xe');
      expect(offer.procedure).not.toBeNull();
      expect(offer.replies.at(-1)!.text).toContain('Nếu anh/chị hỏi thủ tục khác');
      expect(offer.buttons.length).toBeGreaterThan(1);
      expect(offer.buttons.length).toBeLessThanOrEqual(5);
      // The list says the short names; the buttons start with them.
      const listed = offer.replies
        .at(-1)!
        .text.split('\n')
        .filter((l) => /^\d\. /.test(l))
        .map((l) => l.replace(/^\d\. /, ''));
      expect(listed[0]).toBe(assistant.knowledge.shortNames.get(offer.procedure!));
      // A button is its number and the short name (each channel shows what fits and sends it all back).
      for (const [i, button] of offer.buttons.entries()) expect(button).toBe(`${i + 1}. ${listed[i]}`);
      const chosen = await say(pick);
      expect(chosen.procedure).not.toBe(offer.procedure);
      expect(assistant.knowledge.shortNames.get(chosen.procedure!)).toBe(listed[1]);
    }
  });

  it('understands a tap on a choice button, and asks about the chosen one afterwards', async () => {
    const say = conversation();
    const offer = await say('thủ tục cấp giấy phép lái xe');
    const chosen = await say(offer.buttons[1]!);
    expect(
      assistant.knowledge.shortNames.get(chosen.procedure!)!.startsWith(offer.buttons[1]!.replace(/^2\. /, '')),
    ).toBe(true);
    expect((await say('phí bao nhiêu')).procedure).toBe(chosen.procedure);
  });

  it('keeps conversations apart', async () => {
    const a = conversation();
    const b = conversation();
    await a('làm lý lịch tư pháp cần gì');
    await b('đổi bằng lái cần gì');
    expect((await a('phí bao nhiêu')).procedure).toBe('3.000333');
    expect((await b('phí bao nhiêu')).procedure).toBe('3.000347');
  });
});

describe('the rest of the conversation', () => {
  it('welcomes with the top tasks as buttons', async () => {
    const turn = await conversation()('chào ad');
    expect(turn.intent).toBe('greeting');
    expect(turn.text).toMatch(/^Dạ, em chào anh\/chị/);
    expect(turn.buttons).toContain('Gặp cán bộ');
  });

  it('answers center questions from the center facts, marking sample values', async () => {
    const turn = await conversation()('thứ 7 trung tâm có làm việc không');
    expect(turn.intent).toBe('center_hours');
    expect(turn.text).toContain('Thứ Bảy');
    expect(turn.text).toContain('(thông tin mẫu, Trung tâm chưa xác nhận)');
    const where = await conversation()('trung tâm ở đâu vậy');
    expect(where.text).toContain('26 Hoàng Hoa Thám');
    expect(where.text).toContain('Nguồn: báo cáo công khai của Trung tâm (11/2023)');
  });

  it('acknowledges a complaint, asks before sending it to supervisors and, with none online, offers a callback', async () => {
    const say = conversation();
    const turn = await say('cán bộ đòi tiền ngoài quy định mới nhận hồ sơ');
    expect(turn.intent).toBe('complaint');
    expect(turn.text).toMatch(/có muốn em chuyển phản ánh/);
    expect(turn.buttons).toEqual(['Gửi phản ánh', 'Không gửi']);
    const sent = await say('Gửi phản ánh');
    expect(sent.text).toMatch(/gọi lại/);
    expect(sent.buttons).toEqual(['Để lại lời nhắn', 'Không, cảm ơn']);
  });

  it('reads a story about a procedure that mentions no wrongdoing as a question, not a complaint', async () => {
    const turn = await conversation()('em nộp hồ sơ đăng ký hộ kinh doanh rồi, giờ muốn hỏi lệ phí bao nhiêu');
    expect(turn.intent).not.toBe('complaint');
  });

  it('answers an English question in English, pointing to the hotline and a person', async () => {
    const turn = await conversation()('How can I apply for a passport at the center?');
    expect(turn.text).toMatch(/^Sorry, I can only answer in Vietnamese/);
    expect(turn.buttons).toContain('Gặp cán bộ');
  });

  it('declines politely what the center does not do, saying what it can do', async () => {
    const turn = await conversation()('thời tiết Nha Trang ngày mai có mưa không');
    expect(turn.intent).toBe('out_of_scope');
    expect(turn.text).toContain('thủ tục hành chính');
    expect(turn.buttons.length).toBeGreaterThan(0);
  });

  it('reads a price question about something no procedure speaks of as out of scope', async () => {
    const turn = await conversation()('vé xem phim ở rạp Lotte bao nhiêu tiền');
    expect(turn.intent).toBe('out_of_scope');
    expect(turn.procedure).toBeNull();
  });

  it('does not answer a price question about something that is no procedure with a procedure', async () => {
    const turn = await conversation()('giá vàng hôm nay bao nhiêu');
    expect(turn.procedure).toBeNull();
    expect(turn.text).not.toContain('Nguồn: https://dichvucong.gov.vn/thu-tuc-hanh-chinh');
  });

  it('offers a person after two turns it could not help with', async () => {
    const say = conversation();
    const first = await say('qwxz plokm');
    expect(first.text).toContain('chưa hiểu');
    const second = await say('zzvv qqpp');
    expect(second.text).toContain('cán bộ');
    expect(second.buttons).toContain('Gặp cán bộ');
  });

  it('asks for the dossier code, saying where it is printed, and reads a bare code', async () => {
    const ask = await conversation()('tra cứu hồ sơ');
    expect(ask.intent).toBe('dossier_status');
    expect(ask.text).toContain('phiếu hẹn');
    const code = await conversation()('000.00.12.H34-231012-0001');
    expect(code.intent).toBe('dossier_status');
    expect(code.text).toContain('000.00.12.H34-231012-0001');
  });

  it('answers empty, emoji-only, control-character and huge messages politely', async () => {
    const say = conversation();
    for (const text of ['', '   ', '🎉🎉🎉', '\u0000\u0001\u001b[31m', '\uD800']) {
      const turn = await say(text);
      expect(turn.replies.length).toBeGreaterThan(0);
      expect(turn.text).toMatch(/^Dạ/);
    }
    const huge = await say(`làm lltp cần gì ${'rất '.repeat(3000)}`);
    expect(huge.replies[0]!.text).toContain('dài quá');
  });

  it('never answers a procedure the catalogue lacks with an unrelated one', async () => {
    const turn = await conversation()('xin giấy phép lao động cho người nước ngoài cần gì');
    expect(turn.procedure).toBeNull();
  });
});
