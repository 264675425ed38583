#!/usr/bin/env python3
"""Writes a C file embedding files as byte arrays: embed.py OUT.c GROUP FILE... [-- GROUP FILE...]
Each group becomes `const struct embed_file embed_GROUP[]` ending with a NULL name, and each
file carries a short content hash for cache-busting URLs. Static assets also carry a gzip copy
(made once here, so serving it costs no compression), when it is smaller."""
import gzip, hashlib, os, sys

out, args = sys.argv[1], sys.argv[2:]
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
    files = sorted(files, key=os.path.basename)
    for i, f in enumerate(files):
        data = open(f, 'rb').read()
        body = ','.join(str(b) for b in data)
        lines.append(f'static const unsigned char {g}_{i}[] = {{{body}{"," if data else ""}0}};')
        if g == 'static':
            gz = gzip.compress(data, compresslevel=9, mtime=0)
            if len(gz) < len(data):
                lines.append(f'static const unsigned char {g}_{i}_gz[] = {{{",".join(str(b) for b in gz)}}};')
    lines.append(f'const struct embed_file embed_{g}[] = {{')
    for i, f in enumerate(files):
        data = open(f, 'rb').read()
        h = hashlib.blake2b(data, digest_size=6).hexdigest()
        gz = gzip.compress(data, compresslevel=9, mtime=0) if g == 'static' else b''
        gzf = f'{g}_{i}_gz, {len(gz)}' if gz and len(gz) < len(data) else '0, 0'
        lines.append(f'  {{"{os.path.basename(f)}", {g}_{i}, {len(data)}, "{h}", {gzf}}},')
    lines.append('  {0, 0, 0, 0, 0, 0}\n};')
with open(out, 'w') as fh:
    fh.write('\n'.join(lines) + '\n')
