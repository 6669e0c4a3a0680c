#!/usr/bin/env bash
# docs/check-links.sh: checks every relative link and #anchor in the Markdown files (the tracked
# *.md files, or the ones given as arguments) and fails listing the broken ones. A relative link
# must name a file or folder that exists; an anchor must be a heading of the target file, as
# GitHub makes its slug. External http(s) links are checked for syntax only (no network).
#
#   docs/check-links.sh                 # every tracked *.md file (./mvnw verify runs this)
#   docs/check-links.sh README.md docs/query-api.md
set -euo pipefail
cd "$(dirname "$0")/.."

if (($#)); then
  files=("$@")
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.md')
else
  mapfile -t files < <(find . -name '*.md' -not -path '*/target/*' -not -path './run/*' | sed 's|^\./||')
fi

exec /usr/bin/python3 - "${files[@]}" <<'PY'
import os, re, sys
from urllib.parse import urlsplit, unquote

FENCE = re.compile(r'^\s*(```|~~~)')
HEADING = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')
INLINE_LINK = re.compile(r'!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)')
REF_DEF = re.compile(r'^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)')
HTML_ID = re.compile(r'<a\s+(?:name|id)="([^"]+)"')
CODE_SPAN = re.compile(r'(`+)(.+?)\1')


def slug(text):
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces to '-'."""
    text = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', text)   # [text](url) -> text
    text = text.replace('`', '').replace('*', '')
    text = re.sub(r'<[^>]+>', '', text)
    text = re.sub(r'[^\w\- ]', '', text.lower())
    return text.replace(' ', '-')


def lines_outside_fences(path):
    fenced = False
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                fenced = not fenced
                continue
            if not fenced:
                yield number, line.rstrip('\n')


anchors_cache = {}


def anchors(path):
    if path not in anchors_cache:
        seen, found = {}, set()
        for _, line in lines_outside_fences(path):
            m = HEADING.match(line)
            if m:
                base = slug(m.group(2))
                n = seen.get(base, 0)
                seen[base] = n + 1
                found.add(base if n == 0 else f'{base}-{n}')
            found.update(HTML_ID.findall(line))
        anchors_cache[path] = found
    return anchors_cache[path]


def targets(line):
    line = CODE_SPAN.sub('', line)
    for m in INLINE_LINK.finditer(line):
        yield m.group(1)
    m = REF_DEF.match(line)
    if m:
        yield m.group(1)


def check(source, target):
    """The problem with one link, or None."""
    target = target.strip('<>')
    parts = urlsplit(target)
    if parts.scheme in ('http', 'https'):
        if not parts.netloc or ' ' in target or not re.match(r'^[\w.-]+(:\d+)?$', parts.netloc):
            return 'malformed URL'
        return None
    if parts.scheme:   # mailto:, ftp: ...: not ours to check
        return None
    path, anchor = unquote(parts.path), unquote(parts.fragment)
    resolved = os.path.normpath(os.path.join(os.path.dirname(source), path)) if path else source
    if not os.path.exists(resolved):
        return f'no such file: {resolved}'
    if anchor:
        if os.path.isdir(resolved) or not resolved.endswith('.md'):
            return f'anchor #{anchor} on a file that is not Markdown: {resolved}'
        if anchor not in anchors(resolved):
            return f'no heading #{anchor} in {resolved}'
    return None


broken = checked = 0
files = sys.argv[1:]
for source in files:
    for number, line in lines_outside_fences(source):
        for target in targets(line):
            checked += 1
            problem = check(source, target)
            if problem:
                broken += 1
                print(f'{source}:{number}: ({target}) {problem}')
if broken:
    print(f'{broken} broken link(s) in {len(files)} Markdown file(s)', file=sys.stderr)
    sys.exit(1)
print(f'links: {checked} link(s) in {len(files)} Markdown file(s), every relative link and anchor resolves')
PY
