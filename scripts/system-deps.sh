#!/usr/bin/env bash
# Installs the Debian packages yusuan's PDF output and document tests use, when they are missing.
# fonts-noto-cjk: the CJK fonts (Noto Serif/Sans CJK SC) of the PDF, with either engine (Typst or
# WeasyPrint); poppler-utils: pdftoppm/pdfinfo in tests; libharfbuzz-subset0: fast font subsetting
# in WeasyPrint;
# LibreOffice (writer+calc): opening our DOCX/XLSX in tests and reading .doc/.xls inputs.
set -u
need=()
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# qpdf: checking the structure of the PDFs we write (tests).
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
# WeasyPrint subsets fonts with HarfBuzz when this library is present; without it embedding the
# CJK fonts is about ten times slower.
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
# chromium: the browser of the web application's Playwright tests (make test-browser).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包：${need[*]}（需要 root 和 apt-get 安装；PDF 输出与部分测试将不可用）" >&2
  exit 0
fi
echo "安装系统软件包：${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null \
  || echo "系统软件包安装失败：${need[*]}" >&2
exit 0
