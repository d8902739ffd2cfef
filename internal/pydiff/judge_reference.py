#!/usr/bin/env python3
"""Judges chain dumps with the reference node's chain_error, one per line.

Reads hex-encoded dump texts from stdin, one per line, and writes one line
per case: "1" when chain_error finds the chain valid, "0 <reason>" when it
does not or when json.loads cannot read the text at all. The text is read as
a node reads a request body (json.loads of the bytes). The reference node's
directory is the first argument.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
import seed_node  # noqa: E402


def verdict(text):
    try:
        d = json.loads(text)
    except (ValueError, RecursionError) as e:
        return "0 Python cannot read it: %s" % e
    c = d.get("chain") if isinstance(d, dict) else d
    if isinstance(d, dict) and "chain" not in d:
        return "0 no chain"
    err = seed_node.chain_error(c)
    return "1" if err is None else "0 " + err


def main():
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            v = verdict(bytes.fromhex(line))
        except Exception as e:  # a crash of the reference is a finding too
            v = "E %s: %s" % (type(e).__name__, e)
        out.write(v.replace("\n", " ") + "\n")
    out.flush()


if __name__ == "__main__":
    main()
