#!/usr/bin/env python3
"""Cut the oracle's serial logs into one transcript per case and write index.json.

Called by samples/oracle/run.sh (see there). Each case's file holds the serial console output
from its BEGIN marker to its END marker, both included, with carriage returns removed (the
serial console ends lines with CR LF); nothing else is changed. index.json lists every boot and
case; entries for boots not rerun this time are kept from the previous index.
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import sys

BEGIN = re.compile(r'##### RING0-ORACLE BEGIN (\S+) #####')
END = re.compile(r'##### RING0-ORACLE END (\S+) #####')
FULL_LOG_BOOT = 'hello'
DONE = re.compile(r'##### RING0-ORACLE DONE (\S+) uptime ([0-9.]+) ')


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--logs', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--root', required=True)
    ap.add_argument('--boots', required=True)
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--kernel-banner', required=True)
    ap.add_argument('--packages', nargs='*', default=[])
    ap.add_argument('--samples', nargs='*', default=[])
    ap.add_argument('--clean', action='store_true')
    a = ap.parse_args()

    index_path = os.path.join(a.out, 'index.json')
    old = {}
    if a.clean:
        # a full run: drop every earlier transcript, so none outlives its sample
        for d in (a.out, os.path.join(a.out, 'boots')):
            if os.path.isdir(d):
                for fn in os.listdir(d):
                    if fn.endswith('.txt') or fn.endswith('.log') or fn == 'index.json':
                        os.remove(os.path.join(d, fn))
    if os.path.exists(index_path):
        with open(index_path) as f:
            old = json.load(f)
    boots = {b['name']: b for b in old.get('boots', [])}
    cases = {c['name']: c for c in old.get('cases', [])}
    os.makedirs(os.path.join(a.out, 'boots'), exist_ok=True)

    version = old.get('kernel', {}).get('proc_version')
    problems = []
    for name in a.boots.split(','):
        # forget what an earlier run recorded for this boot
        for c in [c for c in cases.values() if c['boot'] == name]:
            p = os.path.join(a.out, c['file'])
            if os.path.exists(p):
                os.remove(p)
            del cases[c['name']]
        base = os.path.join(a.logs, name)
        with open(base + '.log', 'rb') as f:
            text = f.read().decode('utf-8', 'replace').replace('\r', '')
        with open(base + '.rc') as f:
            rc, seconds = f.read().split()
        with open(base + '.append') as f:
            append = f.read().strip()
        with open(base + '.cmd') as f:
            cmd = f.read().strip()
        lines = text.split('\n')
        # The full serial log of the reference boot; for the others, from the BOOT marker on
        # (the kernel's own boot messages before /init are the same in every boot).
        full = name == FULL_LOG_BOOT
        k = text.find('##### RING0-ORACLE BOOT ')
        with open(os.path.join(a.out, 'boots', name + '.log'), 'w') as f:
            f.write(text if full or k < 0 else text[k:])

        recorded = datetime.datetime.fromtimestamp(os.path.getmtime(base + '.log'), datetime.timezone.utc)
        meta = {'name': name, 'recorded': recorded.strftime('%Y-%m-%dT%H:%M:%SZ'), 'append': append, 'qemu': cmd, 'qemu_exit': int(rc),
                'wall_seconds': round(float(seconds), 1), 'log': 'boots/%s.log' % name,
                'log_is_full': full or k < 0,
                'cases': []}
        for ln in lines:
            if ln.startswith('uptime: ') and 'uptime_at_init' not in meta:
                meta['uptime_at_init'] = float(ln.split()[1])
            if ln.startswith('version: ') and 'proc_version' not in meta:
                meta['proc_version'] = ln[len('version: '):]
            m = DONE.search(ln)
            if m:
                meta['uptime_at_done'] = float(m.group(2))
        meta['complete'] = 'uptime_at_done' in meta
        if not meta['complete']:
            problems.append('boot %s did not finish (qemu exit %s)' % (name, rc))
        if meta.get('proc_version') and not version:
            version = meta['proc_version']

        i = 0
        while i < len(lines):
            m = BEGIN.search(lines[i])
            if not m:
                i += 1
                continue
            case = m.group(1)
            j = i + 1
            complete = False
            while j < len(lines):
                e = END.search(lines[j])
                if e and e.group(1) == case:
                    complete = True
                    break
                if BEGIN.search(lines[j]) or DONE.search(lines[j]):
                    j -= 1
                    break
                j += 1
            j = min(j, len(lines) - 1)
            body = lines[i:j + 1]
            fname = case + '.txt'
            with open(os.path.join(a.out, fname), 'w') as f:
                f.write('\n'.join(body) + '\n')
            commands = [ln[2:] for ln in body if ln.startswith('# ')]
            cases[case] = {'name': case, 'boot': name, 'file': fname, 'append': append,
                           'commands': commands, 'complete': complete}
            if not complete:
                problems.append('case %s has no END marker' % case)
            meta['cases'].append(case)
            i = j + 1
        boots[name] = meta

    samples = {}
    for s in a.samples:
        p = os.path.join(a.root, 'public', 'samples', s)
        if os.path.exists(p):
            samples[s] = sha256(p)

    index = {
        'format': 'ring0-real-kernel/1',
        'generated': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'generator': 'samples/oracle/run.sh',
        'kernel': {
            'image': a.kernel,
            'image_sha256': sha256(a.kernel),
            'banner': a.kernel_banner,
            'proc_version': version,
        },
        'packages': dict(p.split('=', 1) for p in a.packages),
        'qemu_common': 'qemu-system-x86_64 -m 512 -smp 1 -nographic -no-reboot -kernel <image> '
                       '-initrd <initramfs> -append "console=ttyS0 nokaslr panic=-1 loglevel=7 '
                       '[extra] ring0.boot=<boot>" (stdin /dev/null, TCG, under timeout)',
        'samples_sha256': {**old.get('samples_sha256', {}), **samples},
        'boots': [boots[k] for k in sorted(boots)],
        'cases': [cases[k] for k in sorted(cases)],
    }
    with open(index_path, 'w') as f:
        json.dump(index, f, indent=1)
        f.write('\n')
    for p in problems:
        print('transcripts.py: ' + p, file=sys.stderr)
    print('transcripts.py: %d boots, %d cases in %s' % (len(index['boots']), len(index['cases']), a.out),
          file=sys.stderr)


if __name__ == '__main__':
    main()
