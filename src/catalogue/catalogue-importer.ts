import { parseChannels } from './channels-table.ts';
import { validateCatalogueRow } from './catalogue-row.ts';
import { cleanInline, valueOrEmpty } from './catalogue-text.ts';
import { parseDocuments } from './documents-table.ts';
import { LEGAL_HEADER, parseLegalBasis } from './legal-basis.ts';
import { parseApplicants, parseConditions, parseLevels, parseSteps, submitPlaceFromSteps } from './list-cells.ts';
import { ProcedureRecord } from './procedure-record.ts';
import { fieldOrPage } from './raw-text-sections.ts';
import { parseResults } from './results-cell.ts';

/*
 * Pure parsers turning one row of the national catalogue crawl (dichvucong.gov.vn) into a
 * ProcedureRecord. The portal's tables arrive flattened without separators, so every parser
 * of a cell leans on the few anchors the portal reliably emits (mode words, "bản chính", act
 * codes, "Mã:") and prefers "unknown" over a guess: a wrong fee or deadline quoted to a
 * citizen is worse than "see the original text".
 */

// ---------------------------------------------------------------------------------------------
// The record

/** Parses one catalogue row; throws an Error naming the code and field when it cannot. */
export function parseCatalogueRow(raw: unknown): ProcedureRecord {
  const row = validateCatalogueRow(raw);
  const code = row.ma_thu_tuc;
  const steps = withField(code, 'trinh_tu_thuc_hien', () =>
    parseSteps(fieldOrPage(row.trinh_tu_thuc_hien, row.raw_text, 'Trình Tự Thực Hiện')),
  );
  const executing = valueOrEmpty(row.co_quan_thuc_hien);
  const competent = valueOrEmpty(row.co_quan_co_tham_quyen);
  const record = {
    code,
    name: cleanInline(row.ten_thu_tuc),
    levels: parseLevels(row.cap_thuc_hien),
    levelsText: cleanInline(row.cap_thuc_hien),
    field: valueOrEmpty(row.linh_vuc),
    procedureType: valueOrEmpty(row.loai_thu_tuc),
    deciding_act: cleanInline(row.so_quyet_dinh),
    ministry: cleanInline(row._ministry_folder),
    applicants: parseApplicants(row.doi_tuong_thuc_hien),
    agencies: {
      competent,
      executing,
      delegated: valueOrEmpty(row.co_quan_duoc_uy_quyen),
      cooperating: valueOrEmpty(row.co_quan_phoi_hop),
      submitAt: valueOrEmpty(row.dia_chi_tiep_nhan) || executing || competent || submitPlaceFromSteps(steps),
    },
    channels: withField(code, 'cach_thuc_thuc_hien', () =>
      parseChannels(fieldOrPage(row.cach_thuc_thuc_hien, row.raw_text, 'Cách Thức Thực Hiện')),
    ),
    documents: withField(code, 'thanh_phan_ho_so', () =>
      parseDocuments(fieldOrPage(row.thanh_phan_ho_so, row.raw_text, 'Thành phần hồ sơ')),
    ),
    steps,
    conditions: withField(code, 'yeu_cau_dieu_kien', () =>
      parseConditions(fieldOrPage(row.yeu_cau_dieu_kien, row.raw_text, 'Yêu cầu, điều kiện thực hiện')),
    ),
    results: withField(code, 'ket_qua_xu_ly', () =>
      parseResults(fieldOrPage(row.ket_qua_xu_ly, row.raw_text, 'Kết quả xử lý')),
    ),
    legalBasis: withField(code, 'can_cu_phap_ly', () =>
      parseLegalBasis(fieldOrPage(row.can_cu_phap_ly, row.raw_text, 'Căn cứ pháp lý', LEGAL_HEADER)),
    ),
    sourceUrl: row.detail_url,
  };
  const checked = ProcedureRecord.safeParse(record);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`catalogue row ${code}: field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return checked.data;
}

/** Runs one field parser, re-throwing with the code and field named. */
function withField<T>(code: string, field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`catalogue row ${code}: field ${field}: ${reason}`, { cause: error });
  }
}
