#!/usr/bin/env python3
"""Runs HTTP test modules against a mend binary: run.py MEND [--pg CONNINFO] MODULE...
Prints TAP; exits 1 when a test failed."""
import importlib, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness

args = sys.argv[1:]
harness.MEND = os.path.abspath(args.pop(0))
label = "sqlite"
if args and args[0] == "--pg":
    args.pop(0)
    harness.PG_ADMIN = args.pop(0)
    label = "postgresql"
if args and args[0] == "--label":
    args.pop(0)
    label = args.pop(0)
harness.LABEL = label
for m in args:
    importlib.import_module(m)
failed = harness.run_all(label)
harness.stop_all()
sys.exit(1 if failed else 0)
