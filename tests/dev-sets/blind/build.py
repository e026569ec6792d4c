# Builds tests/dev-sets/blind/ from the helpers' files: labels corrected by the verifiers' verdicts,
# every equally-right code accepted, the field of each question from the catalogue, then split in
# two by a hash of the id (tuning / sealed). Prints counts only.
import json, gzip, hashlib, re, collections, sys
OUT = sys.argv[1]
rows = {}
for l in gzip.open('catalogue.jsonl.gz','rt'):
    r = json.loads(l); rows[r['ma_thu_tuc']] = r
qs = json.load(open('merged/questions.json'))
convs = json.load(open('merged/conversations.json'))
verdicts = {}
for f in ['out/verify-questions-1.jsonl', 'out/verify-questions-2.jsonl']:
    for l in open(f):
        if l.strip():
            v = json.loads(l); verdicts[v['id']] = v
cv = {}
for l in open('out/verify-conversations.jsonl'):
    if l.strip():
        v = json.loads(l); cv[v['conversation']] = v
stats = collections.Counter()
def valid(codes): return [c for c in codes if c in rows]
def half(key): return 'tuning' if hashlib.sha256(key.encode()).digest()[0] % 2 == 0 else 'sealed'
out = {'tuning': [], 'sealed': []}
for q in qs:
    v = verdicts.get(q['id'])
    accept = set(q['accept'])
    verdict = v['verdict'] if v else 'missing'
    stats[verdict] += 1
    if verdict == 'unclear':
        continue  # an officer could not pin it either: not a fair test
    if verdict == 'wrong' and v.get('better') in rows:
        accept = {v['better']}
        # the same procedure at other levels stays acceptable
        accept |= set(c for c in q['accept'] if rows[c]['ten_thu_tuc'] == rows[v['better']]['ten_thu_tuc'])
    if verdict in ('also',):
        accept |= set(valid(v.get('also') or []))
    if q['expected'] == [] and verdict == 'in_catalogue':
        accept = set(valid(v.get('also') or []))
        if not accept: continue
    first = q['expected'][0] if q['expected'] else None
    field = rows[sorted(accept)[0] if first is None or first not in accept else first]['linh_vuc'] if accept else None
    item = {'id': q['id'], 'text': q['text'], 'accept': sorted(accept)}
    if field: item['field'] = field
    for k in ('aspect', 'style', 'kind'):
        if k in q: item[k] = q[k]
    out[half(q['id'])].append(item)
conv_out = {'tuning': [], 'sealed': []}
for c in convs:
    v = cv.get(c['conversation'])
    turns = []
    for i, t in enumerate(c['turns']):
        tv = v['turns'][i] if v and i < len(v['turns']) else {'verdict': 'missing'}
        stats['turn:' + tv['verdict']] += 1
        procedure = t['procedure']
        intent = tv.get('intent') or t['intent']
        accept = None if procedure is None else set(t.get('accept', [procedure]))
        if tv['verdict'] == 'wrong':
            corrected = tv.get('procedure', procedure)
            accept = None if corrected is None else ({corrected} if corrected in rows else accept)
        if tv['verdict'] == 'also' and accept is not None:
            accept |= set(valid(tv.get('also') or []))
        if tv['verdict'] == 'unclear':
            stats['turn:dropped-unclear'] += 1
            # keep the turn for context, but no label to test: skip scoring by marking kind
        turns.append({'text': t['text'], 'intent': intent, 'accept': None if accept is None else sorted(accept), 'kind': t['kind'] if tv['verdict'] != 'unclear' else 'unclear'})
    conv_out[half(c['conversation'])].append({'conversation': c['conversation'], 'turns': turns})
for h in ('tuning', 'sealed'):
    with open(f'{OUT}/{h}-questions.jsonl', 'w') as f:
        for q in out[h]: f.write(json.dumps(q, ensure_ascii=False) + '\n')
    with open(f'{OUT}/{h}-conversations.jsonl', 'w') as f:
        for c in conv_out[h]: f.write(json.dumps(c, ensure_ascii=False) + '\n')
    inside = [q for q in out[h] if q['accept']]
    print(h, 'questions', len(out[h]), 'inside', len(inside), 'procedures', len({c for q in inside for c in q['accept']}), 'outside', len(out[h]) - len(inside),
          'conversations', len(conv_out[h]), 'turns', sum(len(c['turns']) for c in conv_out[h]))
print(dict(stats))
