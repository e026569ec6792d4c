# Stratified sample of the catalogue for the blind dev set. Seeded: reproducible.
# Usage: python3 sample.py <national-catalogue.jsonl.gz> (the portal snapshot that npm run import:catalogue reads).
import json, gzip, random, collections, re, hashlib, sys
if len(sys.argv) != 2: sys.exit('usage: sample.py <national-catalogue.jsonl.gz>')
rows = [json.loads(l) for l in gzip.open(sys.argv[1], 'rt')]
rng = random.Random(15)
def base_name(n):
    return re.sub(r'\s*\((thực hiện )?(tại )?cấp [^)]*\)\s*$', '', n.strip(), flags=re.I).lower()
by_field = collections.defaultdict(list)
for r in rows: by_field[(r['_ministry_folder'], r['linh_vuc'] or '(không rõ)')].append(r)
TARGET = 330
total = len(rows)
chosen = []
seen_names = set()
def local(r):
    lv = r.get('cap_thuc_hien') or ''
    return ('tỉnh' in lv) or ('xã' in lv) or ('huyện' in lv)
for key, group in sorted(by_field.items()):
    n = len(group)
    if n >= 5: k = max(3, round(n * TARGET / total))
    else: k = 1 if (rng.random() < 0.6 or key[0] == "toa-an-nhan-dan") else 0
    k = min(k, n)
    # province/commune procedures weighted 3x: those are what Khánh Hòa citizens bring to the center
    pool = list(group)
    picked = []
    while pool and len(picked) < k:
        weights = [3 if local(r) else 1 for r in pool]
        r = rng.choices(pool, weights)[0]
        pool.remove(r)
        if base_name(r['ten_thu_tuc']) in seen_names: continue
        seen_names.add(base_name(r['ten_thu_tuc']))
        picked.append(r)
    chosen += picked
print('procedures', len(chosen), 'fields', len({r['linh_vuc'] for r in chosen}), 'folders', len({r['_ministry_folder'] for r in chosen}))
def trim(s, n):
    s = (s or '').strip()
    return s if len(s) <= n else s[:n] + ' …'
def record(r):
    return {
        'code': r['ma_thu_tuc'], 'name': r['ten_thu_tuc'], 'field': r['linh_vuc'], 'ministry_file': r['_ministry_folder'],
        'levels': r['cap_thuc_hien'], 'applicants': r['doi_tuong_thuc_hien'],
        'agency': r['co_quan_thuc_hien'] or r['co_quan_co_tham_quyen'], 'submit_at': r['dia_chi_tiep_nhan'],
        'steps': trim(r['trinh_tu_thuc_hien'], 1500), 'channels_time_fee': trim(r['cach_thuc_thuc_hien'], 1200),
        'documents': trim(r['thanh_phan_ho_so'], 1500), 'conditions': trim(r['yeu_cau_dieu_kien'], 600),
        'result': trim(r['ket_qua_xu_ly'], 300), 'source': r['detail_url'],
    }
rng.shuffle(chosen)
# conversations draw on the citizen-facing part of the sample
citizen = [r for r in chosen if local(r) and 'Công dân' in (r['doi_tuong_thuc_hien'] or '')]
conv = citizen[:90]
conv_codes = {r['ma_thu_tuc'] for r in conv}
qs = [r for r in chosen]
N = 6
for i in range(N):
    part = qs[i::N]
    with open(f'batch-{i+1}.jsonl', 'w') as f:
        for r in part: f.write(json.dumps(record(r), ensure_ascii=False) + '\n')
    print('batch', i+1, len(part))
for i in range(2):
    part = conv[i::2]
    with open(f'conv-{i+1}.jsonl', 'w') as f:
        for r in part: f.write(json.dumps(record(r), ensure_ascii=False) + '\n')
# the whole catalogue's names, to check that an "outside the catalogue" question really is outside
with open('catalogue-names.tsv', 'w') as f:
    for r in rows: f.write(f"{r['ma_thu_tuc']}\t{r['linh_vuc']}\t{r['cap_thuc_hien']}\t{r['ten_thu_tuc']}\n")
