import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// The raw row

const str = z.string();
const CatalogueRow = z.object({
  ma_thu_tuc: str.regex(/^\d+\.\d{6}$/, 'expected a code like 3.000333'),
  ten_thu_tuc: str.min(1),
  detail_url: z.string().url(),
  so_quyet_dinh: str,
  cap_thuc_hien: str,
  loai_thu_tuc: str,
  linh_vuc: str,
  doi_tuong_thuc_hien: str,
  co_quan_co_tham_quyen: str,
  co_quan_thuc_hien: str,
  co_quan_duoc_uy_quyen: str,
  co_quan_phoi_hop: str,
  dia_chi_tiep_nhan: str,
  trinh_tu_thuc_hien: str,
  cach_thuc_thuc_hien: str,
  thanh_phan_ho_so: str,
  can_cu_phap_ly: str,
  yeu_cau_dieu_kien: str,
  ket_qua_xu_ly: str,
  raw_text: str,
  _ministry_folder: str.min(1),
});
export type CatalogueRow = z.infer<typeof CatalogueRow>;

function codeOf(raw: unknown): string {
  if (typeof raw === 'object' && raw !== null && 'ma_thu_tuc' in raw) return String(raw.ma_thu_tuc);
  return '(no code)';
}

/** Validates a raw row; the error names the procedure code and every offending field. */
export function validateCatalogueRow(raw: unknown): CatalogueRow {
  const result = CatalogueRow.safeParse(raw);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`).join('; ');
  throw new Error(`catalogue row ${codeOf(raw)}: invalid field(s) ${fields}`);
}
