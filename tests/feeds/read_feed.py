#!/usr/bin/env python3
"""Parse an Atom feed with feedparser (a third-party reader) and print what
the Rust tests compare, as JSON: whether it is well-formed ("bozo"), the
feed's id, title, updated, author and links, and each entry.

    python3 tests/feeds/read_feed.py FILE.xml
"""

import json
import sys

import feedparser


def main(path):
    d = feedparser.parse(path)
    print(json.dumps({
        "bozo": bool(d.bozo),
        "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.version,
        "id": d.feed.get("id"),
        "title": d.feed.get("title"),
        "updated": d.feed.get("updated"),
        "author": d.feed.get("author"),
        "links": [(l.get("rel"), l.get("href")) for l in d.feed.get("links", [])],
        "entries": [{
            "id": e.get("id"),
            "title": e.get("title"),
            "updated": e.get("updated"),
            "link": e.get("link"),
            "summary": e.get("summary"),
            "tags": [t.get("term") for t in e.get("tags", [])],
        } for e in d.entries],
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
