"""`reader feed add|list|remove|rename` and `reader fetch`."""

from __future__ import annotations

import argparse
import sys

from ..errors import ReaderError
from .common import open_library, papers_count, print_json
from .progress import Bar


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "feed", parents=[common],
        help="follow feeds: arxiv:CATEGORY, arxiv-search:QUERY or an RSS/Atom address",
    )
    feed = p.add_subparsers(dest="feed_command", metavar="ACTION", required=True)
    a = feed.add_parser("add", parents=[common], help="follow a feed")
    a.add_argument("name", metavar="NAME", help="a short name (papers get the tag feed:NAME)")
    a.add_argument("source", metavar="SOURCE", help="arxiv:cs.LG, arxiv-search:'ti:diffusion', or a URL")
    a = feed.add_parser("list", parents=[common], help="the feeds, their last fetch and errors")
    a.add_argument("--json", action="store_true", help="as JSON")
    a = feed.add_parser("remove", parents=[common], help="stop following a feed (its papers stay)")
    a.add_argument("name", metavar="NAME")
    a = feed.add_parser("rename", parents=[common], help="rename a feed (and its papers' tag)")
    a.add_argument("old", metavar="OLD")
    a.add_argument("new", metavar="NEW")

    p = sub.add_parser("fetch", parents=[common], help="fetch the feeds' new papers")
    p.add_argument("names", nargs="*", metavar="NAME", help="feeds to fetch (default: all)")
    p.add_argument(
        "--since", type=float, default=None, metavar="DAYS",
        help="a feed's first fetch keeps papers of the last DAYS days (default 7)",
    )


def cmd_feed(args: argparse.Namespace) -> int:
    from ..core.feed_store import FeedStore
    from ..paths import library_path

    store = FeedStore(library_path(getattr(args, "db", None)))
    action = args.feed_command
    if action == "add":
        feed = store.add(args.name, args.source)
        print(f"following {feed.name}: {feed.source} (`reader fetch {feed.name}` fetches it)")
    elif action == "list":
        feeds = store.load()
        if args.json:
            print_json([{"name": f.name, **{k: v for k, v in f.doc().items() if k != "known"}}
                        for f in feeds.values()])
            return 0
        if not feeds:
            print("no feeds yet: `reader feed add NAME SOURCE` follows one")
        for f in feeds.values():
            last = f.last_fetch.replace("T", " ")[:16] if f.last_fetch else "never fetched"
            line = f"{f.name:<16} {f.source:<40} {last:<16}  {f.last_new:>4} new last time, {f.total_new} in all"
            if f.last_error:
                line += f"  error: {f.last_error}"
            print(line)
    elif action == "remove":
        feed = store.remove(args.name)
        print(f"no longer following {feed.name} ({feed.source}); its papers stay")
    elif action == "rename":
        from ..core.feeds import feed_tag

        store.rename(args.old, args.new)
        library = open_library(args)
        old, new = feed_tag(args.old), feed_tag(args.new)
        pids = [p.id for p in library.papers() if old in p.tags]
        if pids:
            library.change(pids, lambda p: setattr(p, "tags", [new if t == old else t for t in p.tags]))
        print(f"renamed {args.old} to {args.new} ({papers_count(len(pids))} retagged {new})")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    """On a terminal, a bar per feed on stderr; the summary on stdout, one line a feed."""
    from ..core.feeds import DEFAULT_SINCE_DAYS, FetchEvent, fetch_feeds

    since = DEFAULT_SINCE_DAYS if args.since is None else args.since
    if not since >= 0 or since == float("inf"):
        raise ReaderError("--since is a number of days, 0 or more")
    library = open_library(args, create=True)
    from ..core.feed_store import FeedStore

    if not FeedStore(library.path).load():
        raise ReaderError("no feeds to fetch: `reader feed add NAME SOURCE` follows one")
    with Bar() as bar:

        def show(event: FetchEvent) -> None:
            if event.result is not None:
                bar.say(event.result.line())
            else:
                bar.stage(f"{event.name}: {event.stage}", event.index, event.total)

        try:
            results = fetch_feeds(library, args.names, since_days=since, on_event=show)
        except KeyboardInterrupt:
            bar.__exit__(None, None, None)
            print("fetch interrupted: what arrived so far is saved", flush=True)
            raise
    for result in results:
        print(result.line())
    added = sum(len(r.added) for r in results)
    failed = [r for r in results if r.error and not r.waiting]
    print(f"{papers_count(added)} arrived from {len(results)} feed{'s' if len(results) != 1 else ''}"
          + (f"; {len(failed)} failed" if failed else ""))
    if failed:
        print(f"reader: {len(failed)} feed(s) could not be fetched (see above)", file=sys.stderr)
        return 1
    return 0


def fetch_on_start_line() -> str:
    from ..settings import load_settings

    return f"fetch-on-start = {'on' if load_settings().get('fetch_on_start') is True else 'off'}"


def config_fetch_on_start(args: argparse.Namespace) -> int:
    """`reader config fetch-on-start [on|off]`: the app fetches the feeds when it starts."""
    from ..settings import save_settings, settings_path

    if args.unset or args.value is not None:
        value = None if args.unset else args.value.strip().lower()
        if value not in (None, "on", "off"):
            raise ReaderError("fetch-on-start is on or off")
        if not save_settings({"fetch_on_start": True if value == "on" else None}):
            raise ReaderError(f"cannot write {settings_path()}")
    print(fetch_on_start_line())
    return 0
