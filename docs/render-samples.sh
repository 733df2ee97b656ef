#!/usr/bin/env bash
# Renders the first page of the mediation agreement and of the visitor register the tests
# write, as docs/data.md shows them: .docx → PDF with LibreOffice, PDF → PNG with pdftoppm.
# Needs libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
STATIONDESK_SAMPLES="$out" cargo test --quiet --test documents write_samples -- --ignored
for name in agreement register; do
    soffice --headless --norestore --convert-to pdf --outdir "$out" "$out/$name.docx" >/dev/null
    pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$out/$name.pdf" "docs/$name"
done
rm -rf "$out"
ls -l docs/agreement.png docs/register.png
