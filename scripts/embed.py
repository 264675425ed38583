#!/usr/bin/env python3
"""Writes a C file embedding files as byte arrays: embed.py OUT.c GROUP FILE... [-- GROUP FILE...]
Each group becomes `const struct embed_file embed_GROUP[]` ending with a NULL name, and each
file carries a short content hash for cache-busting URLs. Static assets also carry a gzip and a
brotli copy (made once here, so serving them costs no compression), each when it is smaller.
Usage: embed.py OUT.c BROTLI_PROGRAM GROUP FILE... [-- GROUP FILE...]"""
import gzip, hashlib, os, subprocess, sys

out, brotli, args = sys.argv[1], sys.argv[2], sys.argv[3:]


def packed(g, data):
    """The gzip and brotli copies of a static asset, each empty when it would not be smaller."""
    if g != 'static':
        return b'', b''
    gz = gzip.compress(data, compresslevel=9, mtime=0)
    br = subprocess.run([brotli, '-c', '-q', '11', '-'], input=data, stdout=subprocess.PIPE, check=True).stdout
    return (gz if len(gz) < len(data) else b''), (br if len(br) < len(data) else b'')


def name_of(g, f):
    """A catalogue is named by its language (po's build tree: LANG/LC_MESSAGES/mend.mo)."""
    return f.split(os.sep)[-3] if g == 'catalogues' else os.path.basename(f)


groups, cur = {}, None
for a in args:
    if a == '--':
        cur = None
    elif cur is None:
        cur = a
        groups[cur] = []
    else:
        groups[cur].append(a)

lines = ['#include "util/embed.h"', '']
for g, files in groups.items():
    files = sorted(files, key=lambda f: name_of(g, f))
    for i, f in enumerate(files):
        data = open(f, 'rb').read()
        body = ','.join(str(b) for b in data)
        lines.append(f'static const unsigned char {g}_{i}[] = {{{body}{"," if data else ""}0}};')
        for kind, copy in zip(('gz', 'br'), packed(g, data)):
            if copy:
                lines.append(f'static const unsigned char {g}_{i}_{kind}[] = {{{",".join(str(b) for b in copy)}}};')
    lines.append(f'const struct embed_file embed_{g}[] = {{')
    for i, f in enumerate(files):
        data = open(f, 'rb').read()
        h = hashlib.blake2b(data, digest_size=6).hexdigest()
        gz, br = packed(g, data)
        gzf = f'{g}_{i}_gz, {len(gz)}' if gz else '0, 0'
        brf = f'{g}_{i}_br, {len(br)}' if br else '0, 0'
        lines.append(f'  {{"{name_of(g, f)}", {g}_{i}, {len(data)}, "{h}", {gzf}, {brf}}},')
    lines.append('  {0, 0, 0, 0, 0, 0, 0, 0}\n};')
with open(out, 'w') as fh:
    fh.write('\n'.join(lines) + '\n')
