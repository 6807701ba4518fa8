#!/usr/bin/env bash
# The GPU runs' data: the bundled pristine contents x 25 types x 5 levels; levels 1,3,5 are the labelled set
# (synth-gpu/labelled.csv), levels 2,4 the unlabelled pool that QFM-IQM's teacher labels (synth-gpu/unlabelled.csv).
set -e
node dist/cli/main.js synth --pristine .devbundle/pristine --out synth-gpu --levels 1,2,3,4,5 --max-side 0 --workers "$(nproc)" --mos .devbundle/kadid10k_mos_by_type_level.csv --json > "${OUT:-.}/synth.json"
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open('synth-gpu/labels.csv')))
for name, keep in (('labelled', {'1', '3', '5'}), ('unlabelled', {'2', '4'})):
    with open(f'synth-gpu/{name}.csv', 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=rows[0].keys()); w.writeheader(); w.writerows(r for r in rows if r['level'] in keep)
print(len(rows), 'images')
PY
