import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCatalogueRow } from '../../../src/catalogue/catalogue-importer.ts';
import { validateCatalogueRow } from '../../../src/catalogue/catalogue-row.ts';
import { parseChannels } from '../../../src/catalogue/channels-table.ts';
import { parseDocuments } from '../../../src/catalogue/documents-table.ts';
import { parseDuration } from '../../../src/catalogue/durations.ts';
import { parseFee } from '../../../src/catalogue/fee-cell.ts';
import { parseLegalBasis } from '../../../src/catalogue/legal-basis.ts';
import { parseSteps } from '../../../src/catalogue/list-cells.ts';
import { parseResults } from '../../../src/catalogue/results-cell.ts';
import { formatImportReport, importCatalogue } from '../../../src/catalogue/import-catalogue.ts';
import { ProcedureRecord } from '../../../src/catalogue/procedure-record.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/catalogue/sample-rows.jsonl', import.meta.url));
const fixtureLines = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');
const rawRows = new Map<string, Record<string, string>>(
  fixtureLines.map((line) => {
    const row = JSON.parse(line) as Record<string, string>;
    return [row.ma_thu_tuc ?? '', row];
  }),
);

function rawRow(code: string): Record<string, string> {
  const row = rawRows.get(code);
  if (!row) throw new Error(`fixture row ${code} missing`);
  return row;
}

function record(code: string): ProcedureRecord {
  return parseCatalogueRow(rawRow(code));
}

async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'catalogue-import-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('fees', () => {
  it('never reports "Miễn phí" as free when the note names amounts (3.000347)', () => {
    const { channels } = record('3.000347');
    expect(channels.length).toBeGreaterThan(0);
    for (const channel of channels) {
      expect(channel.fee.kind).toBe('amounts');
      expect(channel.fee.text.startsWith('Miễn phí(')).toBe(true);
      const licence = channel.fee.amounts.find((a) => a.vnd === 135_000);
      const online = channel.fee.amounts.find((a) => a.vnd === 115_000);
      expect(licence?.label).toContain('Lệ phí cấp giấy phép lái xe');
      expect(online?.label).toContain('trực tuyến');
    }
  });

  it('reads the trap straight from a fee cell, with both amounts labelled', () => {
    const fee = parseFee(
      'Miễn phí(- Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần. - Trường hợp tổ chức, cá nhân nộp hồ sơ theo hình thức trực tuyến: Kể từ ngày 01/12/2023 đến hết ngày 31/12/2025, áp dụng mức thu lệ phí là 115.000 đồng/lần cấp.)',
    );
    expect(fee.kind).toBe('amounts');
    expect(fee.amounts.map((a) => a.vnd)).toEqual([135_000, 115_000]);
    expect(fee.amounts[1]?.label).toMatch(/hình thức trực tuyến/);
  });

  it('gives by_act with the circular when the note only cites it (3.000333)', () => {
    for (const channel of record('3.000333').channels) {
      expect(channel.fee.kind).toBe('by_act');
      expect(channel.fee.acts).toEqual(['244/2016/TT-BTC']);
      expect(channel.fee.amounts).toEqual([]);
      expect(channel.legalReference).toContain('244/2016/TT-BTC');
    }
  });

  it('gives free only for a bare "Miễn phí" (3.000141)', () => {
    const [channel] = record('3.000141').channels;
    expect(channel?.fee).toEqual({ kind: 'free', amounts: [], acts: [], text: 'Miễn phí' });
  });

  it('reads "2,000,000 Việt Nam Đồng" as 2,000,000 VND (1.011325)', () => {
    for (const channel of record('1.011325').channels) {
      expect(channel.fee.kind).toBe('amounts');
      expect(channel.fee.amounts.map((a) => a.vnd)).toEqual([2_000_000]);
      expect(channel.fee.amounts[0]?.label).toMatch(/^Phí kiểm tra và cấp giấy chứng nhận/);
    }
  });

  it('keeps the cell amount and the act of a "Phí : Đồng (…Thông tư…)" note, and the description after it (1.002613)', () => {
    for (const channel of record('1.002613').channels) {
      expect(channel.fee.kind).toBe('amounts');
      expect(channel.fee.amounts.map((a) => a.vnd)).toEqual([2_500_000]);
      expect(channel.fee.acts).toEqual(['64/2025/TT-BTC']);
      expect(channel.fee.text).toMatch(/^2,500,000 Việt Nam Đồng\(Phí : Đồng \(Từ ngày 01\/7\/2025/);
      expect(channel.description).toBe('20 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ.');
    }
  });

  it('takes the amount from "70,000 VNĐ(70.000 đồng/Giấy chứng nhận)" once, labelled with its unit (1.004002)', () => {
    const [channel] = record('1.004002').channels;
    expect(channel?.fee.amounts).toEqual([{ vnd: 70_000, label: '/Giấy chứng nhận' }]);
  });

  it('reads amounts written "2.000.000/lần" and "15000000/lần Đồng"', () => {
    expect(parseFee('Miễn phí(thêm một loại hình sản phẩm hoặc dịch vụ: 2.000.000/lần.)').amounts).toEqual([
      { vnd: 2_000_000, label: 'thêm một loại hình sản phẩm hoặc dịch vụ /lần' },
    ]);
    const fee = parseFee('Miễn phí(15000000/lần Đồng (Đối với nhà khai thác tàu bay nước ngoài))');
    expect(fee.amounts).toEqual([{ vnd: 15_000_000, label: 'Đối với nhà khai thác tàu bay nước ngoài /lần' }]);
  });

  it('does not trust an amount glued to a bare duration ("1" + "20 VNĐ") (1.007642)', () => {
    for (const channel of record('1.007642').channels) {
      expect(channel.duration).toBeNull();
      expect(channel.fee.kind).toBe('unknown');
      expect(channel.fee.amounts).toEqual([]);
    }
  });

  it('calls "Không có thông tin" unknown', () => {
    expect(parseFee('Không có thông tin').kind).toBe('unknown');
  });
});

describe('channels and durations', () => {
  it('maps the mode words and does not split on lower-case mentions inside notes', () => {
    const channels = parseChannels(
      'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việcMiễn phí(nộp trực tiếp hoặc trực tuyến đều miễn phí)Dịch vụ bưu chính10 NgàyMiễn phíTrực tiếp8 GiờMiễn phí',
    );
    expect(channels.map((c) => c.mode)).toEqual(['online', 'postal', 'counter']);
    expect(channels[0]?.fee.text).toBe('Miễn phí(nộp trực tiếp hoặc trực tuyến đều miễn phí)');
  });

  it('distinguishes working days, days and hours', () => {
    expect(record('1.011325').channels[0]?.duration).toEqual({
      text: '5 Ngày làm việc',
      workingDays: 5,
      days: null,
      hours: null,
    });
    expect(record('3.000333').channels[0]?.duration).toMatchObject({ workingDays: null, days: 10, hours: null });
    expect(record('3.000141').channels[0]?.duration).toMatchObject({ workingDays: null, days: null, hours: 8 });
  });

  it('states no unit for a bare number', () => {
    expect(parseDuration('5')).toEqual({ text: '5', workingDays: null, days: null, hours: null });
    expect(parseDuration('Không có thông tin')).toBeNull();
  });
});

describe('documents', () => {
  it('splits forms and counts originals and copies (3.000333, 1.007664)', () => {
    const documents = record('3.000333').documents;
    const form01 = documents.find((d) => d.form === 'Mẫu số 01/2025/LLTP');
    expect(form01?.name).toBe(
      'Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp (Dùng cho cá nhân có yêu cầu cấp Phiếu Lý lịch tư pháp)',
    );
    expect(form01).toMatchObject({ originals: 1, copies: 0, quantityText: '1 bản chính' });

    const copies = record('1.007664').documents.filter((d) => d.copies === 1);
    expect(copies.length).toBeGreaterThan(0);
    for (const d of copies) expect(d).toMatchObject({ originals: 0, quantityText: '0 bản chính,1 bản sao' });
    expect(record('1.007664').documents.some((d) => d.name.includes('Tên giấy tờ'))).toBe(false);
  });

  it('reads a template file glued to the name and removes duplicates across cases', () => {
    const documents = parseDocuments(
      '--Tên giấy tờMẫu đơn, tờ khaiSố lượngVăn bản đề nghị hủy tài khoản điện tử (NA20).Mau NA20-BCA.docx1 bản chínhẢnh chân dung1 bản chínhTrường hợp ủy quyềnTên giấy tờMẫu đơn, tờ khaiSố lượngẢnh chân dung1 bản chínhGiấy ủy quyền0 bản chính,1 bản sao',
    );
    expect(documents).toEqual([
      {
        name: 'Văn bản đề nghị hủy tài khoản điện tử (NA20)',
        form: 'Mau NA20-BCA.docx',
        originals: 1,
        copies: 0,
        quantityText: '1 bản chính',
      },
      { name: 'Ảnh chân dung', form: null, originals: 1, copies: 0, quantityText: '1 bản chính' },
      { name: 'Giấy ủy quyền', form: null, originals: 0, copies: 1, quantityText: '0 bản chính,1 bản sao' },
    ]);
  });

  it('does not take "01 bản chính" inside a name for the quantity cell', () => {
    const [document] = parseDocuments(
      '--Tên giấy tờMẫu đơn, tờ khaiSố lượngHợp đồng bảo đảm (01 bản chính hoặc 01 bản sao có chứng thực)1 bản chính',
    );
    expect(document?.name).toBe('Hợp đồng bảo đảm (01 bản chính hoặc 01 bản sao có chứng thực)');
  });
});

describe('legal basis, results and steps', () => {
  it('splits the title from a code glued to its copy (3.000333)', () => {
    expect(record('3.000333').legalBasis).toEqual([{ code: '28/2009/QH12', title: 'Luật 28/2009/QH12' }]);
  });

  it('splits consecutive rows on the act code pattern', () => {
    expect(
      parseLegalBasis(
        'Tên văn bản pháp lýMã văn bảnThông tư số 12/2025/TT-BCA quy định về sát hạch12/2025/TT-BCANghị định 05/2012/NĐ-CP05/2012/NĐ-CPPháp lệnh Chi phí tố tụng năm 202405/2024/UBTVQH15',
      ),
    ).toEqual([
      { code: '12/2025/TT-BCA', title: 'Thông tư số 12/2025/TT-BCA quy định về sát hạch' },
      { code: '05/2012/NĐ-CP', title: 'Nghị định 05/2012/NĐ-CP' },
      { code: '05/2024/UBTVQH15', title: 'Pháp lệnh Chi phí tố tụng năm 2024' },
    ]);
  });

  it('strips the site furniture and the result code markers (3.000333)', () => {
    const { results } = record('3.000333');
    expect(results).toEqual(['Phiếu Lý lịch tư pháp số 2 (Cấp tỉnh)', 'Phiếu Lý lịch tư pháp số 1 (Cấp tỉnh)']);
    expect(
      parseResults('Giấy phép lái xeMã: KQ.G01.000210Từ khóaKhông có thông tinChọn cơ quan thực hiệnNộp hồ sơ'),
    ).toEqual(['Giấy phép lái xe']);
  });

  it('splits steps on "Bước N" and line breaks, dropping empties', () => {
    expect(record('3.000333').steps).toHaveLength(6);
    expect(parseSteps('+ Bước 1: Nộp hồ sơ. + Bước 2: Nhận kết quả.\n\n- Trả kết quả\ntrong ngày')).toEqual([
      'Bước 1: Nộp hồ sơ.',
      'Bước 2: Nhận kết quả.',
      'Trả kết quả trong ngày',
    ]);
  });

  it('maps levels, applicants and conditions', () => {
    const r = record('3.000333');
    expect(r.levels).toEqual(['province']);
    expect(r.applicants).toEqual([
      'Công dân Việt Nam',
      'Người Việt Nam định cư ở nước ngoài',
      'Người nước ngoài cư trú tại Việt Nam',
    ]);
    expect(r.conditions).toEqual([]);
    expect(r.agencies.submitAt).toBe('Công an tỉnh');
  });
});

describe('rows', () => {
  it('normalises decomposed Unicode to NFC (1.011325 is stored in NFD)', () => {
    const raw = rawRow('1.011325');
    expect(raw.ten_thu_tuc).not.toBe(raw.ten_thu_tuc?.normalize('NFC'));
    const r = record('1.011325');
    expect(r.name).toBe(r.name.normalize('NFC'));
    expect(r.channels[0]?.fee.text).toBe(r.channels[0]?.fee.text.normalize('NFC'));
  });

  it('names the code and the field of a malformed row', () => {
    const broken = { ...rawRow('3.000333'), cach_thuc_thuc_hien: 42 };
    expect(() => validateCatalogueRow(broken)).toThrow(/3\.000333.*cach_thuc_thuc_hien/);
    expect(() => parseCatalogueRow({ ...rawRow('3.000333'), detail_url: 'not a url' })).toThrow(
      /3\.000333.*detail_url/,
    );
  });
});

describe('importCatalogue', () => {
  it('imports the fixture, one sorted and valid file per ministry', async () => {
    await withTempDir(async (dir) => {
      const outDir = join(dir, 'procedures');
      await importCatalogue(FIXTURE, outDir);
      await writeFile(join(outDir, 'stale.json'), '[]\n');
      const report = await importCatalogue(FIXTURE, outDir);

      expect(report.records).toBe(fixtureLines.length);
      expect(report.failures).toEqual([]);
      const files = (await readdir(outDir)).sort();
      expect(files).not.toContain('stale.json');
      expect(files).toEqual(
        Object.keys(report.perMinistry)
          .map((m) => `${m}.jsonl`)
          .sort(),
      );

      let total = 0;
      for (const file of files) {
        const text = await readFile(join(outDir, file), 'utf8');
        const lines = text.split('\n');
        expect(lines.pop()).toBe('');
        const records = lines.map((line) => ProcedureRecord.parse(JSON.parse(line)));
        expect(text).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
        expect(records.map((r) => r.code)).toEqual(records.map((r) => r.code).sort());
        total += records.length;
      }
      expect(total).toBe(fixtureLines.length);
      expect(report.fees.amounts).toBeGreaterThan(0);
      expect(report.fees.by_act).toBe(3);
      expect(report.proceduresWithAmounts).toBe(4);
      expect(formatImportReport(report)).toMatch(/Imported 8 procedures/);
    });
  });

  it('fails loudly with the line number on a malformed line', async () => {
    await withTempDir(async (dir) => {
      const input = join(dir, 'broken.jsonl');
      await writeFile(input, `${fixtureLines[0]}\n${fixtureLines[1]}\n{"ma_thu_tuc": "9.999999", oops\n`);
      await expect(importCatalogue(input, join(dir, 'out'))).rejects.toThrow(/line 3 \(9\.999999\): not valid JSON/);
    });
  });

  it('fails with the line number and code when a row cannot be parsed, and on duplicate codes', async () => {
    await withTempDir(async (dir) => {
      const invalid = join(dir, 'invalid.jsonl');
      const row = { ...rawRow('3.000141'), ten_thu_tuc: '' };
      await writeFile(invalid, `${fixtureLines[0]}\n${JSON.stringify(row)}\n`);
      await expect(importCatalogue(invalid, join(dir, 'out'))).rejects.toThrow(/line 2 \(3\.000141\).*ten_thu_tuc/);

      const duplicate = join(dir, 'duplicate.jsonl');
      await writeFile(duplicate, `${fixtureLines[0]}\n${fixtureLines[0]}\n`);
      await expect(importCatalogue(duplicate, join(dir, 'out'))).rejects.toThrow(
        /duplicate procedure code .* lines 1 and 2/,
      );
    });
  });
});
