#!/usr/bin/env python3
"""The reference node with the tutorial's own /register_with: paths by concatenation.

The tutorial's node posts to node_address + "/register_node" and adopts the chain
in the answer, so given an address that ends in "/" it asks for //register_node.
This wraps the reference node (first argument: its directory) with that handler;
the other arguments are the reference node's (--port, --difficulty).
"""
import sys

sys.path.insert(0, sys.argv[1])
sys.argv = [sys.argv[0]] + sys.argv[2:]
import requests  # noqa: E402
import seed_node  # noqa: E402
from flask import request  # noqa: E402

asked = []


def register_with():
    data = seed_node.json_body()
    if not data or not isinstance(data.get("node_address"), str) or not data["node_address"]:
        return seed_node.fail("node_address must be a URL")
    node_address = data["node_address"]
    url = node_address + "/register_node"
    asked.append(url)
    r = requests.post(url, json={"node_address": request.host_url}, timeout=10)
    if r.status_code != 200:
        return seed_node.fail("%s answered %d" % (url, r.status_code), 502)
    chain = r.json()["chain"]
    if seed_node.chain_error(chain) is not None:
        return seed_node.fail("invalid chain", 502)
    seed_node.node.adopt_if_longer(chain)
    with seed_node.node.lock:
        seed_node.node.peers.add(node_address.rstrip("/") + "/")
    return seed_node.js({"status": "Registration successful"})


def asked_urls():
    return seed_node.js(asked)


seed_node.app.view_functions["register_with"] = register_with
seed_node.app.add_url_rule("/asked", "asked", asked_urls)

if __name__ == "__main__":
    seed_node.main()
