"""Sync a library through a git remote: reader merges, git carries.

The library's folder is a git repository (`init` makes it one, or uses the
one it is in) with a remote called ``origin``. `sync`:

1. commits the library files as they are (under the library's lock);
2. fetches the remote;
3. under the lock again: a remote that is ahead is taken as it is (its
   files written first, then the branch moved); one that went its own way
   is merged by reader (`sync_merge`, three-way with the common ancestor):
   the merged files are written first, then committed with both parents.
   git never merges a library file, so no conflict marker ever lands in one
   (``.gitattributes`` says so for anyone who runs ``git pull`` by hand);
4. pushes; a push refused because the remote moved meanwhile goes back to 2.

Killed at any moment, the library files are the old or the new complete
ones (every write is atomic) and the next sync finishes the job: files
written but not yet committed are committed as a local change and merged
again, which changes nothing twice.

Only git's commands are used (add, commit, commit-tree, merge --ff-only,
fetch, push): nothing writes git's own files.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LibraryError
from .change_times import machine_id
from .git_cmd import SyncError, git, last_line, ok, text
from .library_store import LibraryStore
from .storage import dump_tables, load_json_file, parse_library_json, write_files_together
from .sync_merge import LibraryTables, MergeReport, changed_papers, check_tables, merge_libraries

REMOTE = "origin"
#: A push sends a state file of megabytes: compressed fast, and kept as one
#: pack by a remote on this machine rather than unpacked file by file.
PUSH_CONFIG = ("-c", "pack.compression=1", "-c", "transfer.unpackLimit=1")
#: Times a refused push goes back to fetch and merge before giving up.
PUSH_TRIES = 4
ATTRIBUTES = ".gitattributes"
CONFIG_KEYS = rf"^(remote\.{REMOTE}\.url|user\.name|user\.email)$"
IGNORE = ".gitignore"


@dataclass
class Repo:
    """The repository a library is in."""

    root: Path
    #: the papers, state and abstracts files, relative to `root` (posix)
    files: tuple[str, str, str]
    branch: str
    folder: Path
    #: the settings sync reads (the remote's address, the user's name and
    #: email), read once with one command
    config: dict[str, str] | None = None

    def remote_ref(self) -> str:
        return f"refs/remotes/{REMOTE}/{self.branch}"

    def setting(self, key: str) -> str | None:
        if self.config is None:
            done = git(self.root, "config", "--get-regexp", CONFIG_KEYS, check=False)
            self.config = {}
            for line in done.stdout.decode("utf-8", "replace").splitlines():
                name, _, value = line.partition(" ")
                self.config[name] = value.strip()
        return self.config.get(key)


@dataclass
class SyncResult:
    lines: list[str] = field(default_factory=list)
    report: MergeReport = field(default_factory=MergeReport)


def _library_files(library: LibraryStore) -> tuple[Path, Path, Path]:
    return (library.path, library.state_path, library.abstracts_path)


def find_repo(library: LibraryStore) -> Repo | None:
    folder = library.path.parent
    if not folder.is_dir():
        return None
    # One command where HEAD is a branch with commits; two on a new one.
    done = git(folder, "rev-parse", "--show-toplevel", "--symbolic-full-name", "HEAD", check=False)
    lines = done.stdout.decode().splitlines()
    if done.returncode == 0 and len(lines) == 2:
        top, ref = lines
        branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else ""
    else:
        done = git(folder, "rev-parse", "--show-toplevel", check=False)
        if done.returncode != 0:
            return None
        top = done.stdout.decode().strip()
        branch = git(folder, "symbolic-ref", "--short", "-q", "HEAD", check=False).stdout.decode().strip()
    root = Path(top).resolve()
    rel = tuple(p.resolve().relative_to(root).as_posix() for p in _library_files(library))
    if not branch:
        raise SyncError(f"the repository at {root} is not on a branch (a detached HEAD): check it out first")
    return Repo(root, rel, branch, folder)  # type: ignore[arg-type]


def require_repo(library: LibraryStore) -> Repo:
    repo = find_repo(library)
    if repo is None:
        raise SyncError(
            f"{library.path.parent} is not set up for sync: run `reader sync init REMOTE_URL` first"
        )
    return repo


def remote_url(repo: Repo) -> str | None:
    return repo.setting(f"remote.{REMOTE}.url")


def _ident(repo: Repo) -> list[str]:
    """Who commits: the user's git identity, else reader on this machine."""
    if repo.setting("user.email") and repo.setting("user.name"):
        return []
    return ["-c", "user.name=reader", "-c", f"user.email=reader@{machine_id()}"]


@contextmanager
def _locked(library: LibraryStore) -> Iterator[None]:
    """The library's locks, its log of state changes folded into the state
    file: git sees the three files, whole."""
    with library.lock, library.file_lock.hold():
        library.fold_log_locked()
        yield


# ---------------------------------------------------------------- set-up
def init(library: LibraryStore, url: str | None) -> list[str]:
    """Make the library's folder a repository (or use the one it is in), set
    the remote, and commit the library as it is."""
    if url is not None and (not url.strip() or url.startswith("-")):
        raise SyncError(f"not a remote: {url[:80]!r}")
    folder = library.path.parent
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    repo = find_repo(library)
    if repo is None:
        git(folder, "init", "-q", "-b", "main")
        lines.append(f"made {folder} a git repository")
        repo = require_repo(library)
    else:
        lines.append(f"using the git repository at {repo.root}")
    names = [Path(f).name for f in repo.files]
    _add_lines(folder / ATTRIBUTES, [f"{n} merge=binary" for n in names])
    _add_lines(folder / IGNORE, [f"{names[0]}.lock", library.files.log.path.name, "*.backups/", ".*.tmp",
                                 "*sync-conflict*", "*conflicted copy*"])
    if url is not None:
        verb = "set-url" if remote_url(repo) is not None else "add"
        git(repo.root, "remote", verb, REMOTE, url)
        repo.config = None
        lines.append(f"the remote is {url}")
    with _locked(library):
        _commit_local(repo, "reader: library set up for sync", extra=(ATTRIBUTES, IGNORE))
    lines.append("run `reader sync` to send and receive changes")
    return lines


def _add_lines(path: Path, wanted: list[str]) -> None:
    have = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    missing = [line for line in wanted if line not in have]
    if missing:
        write_files_together([(path, ("\n".join([*have, *missing]) + "\n").encode())])


def _commit_local(repo: Repo, message: str, extra: tuple[str, ...] = ()) -> bool:
    """Commit the library files as they are (the caller holds the library's
    lock). True if there was anything to commit."""
    paths = [f for f in repo.files if (repo.root / f).exists()]
    paths += [str((repo.folder / e).relative_to(repo.root)) for e in extra if (repo.folder / e).exists()]
    if paths:
        git(repo.root, "add", "--", *paths)
    done = git(repo.root, *_ident(repo), "commit", "-q", "--no-verify", "-m", message, check=False)
    if done.returncode == 0:
        return True
    said = (done.stdout + done.stderr).decode("utf-8", "replace")
    if "nothing to commit" in said or "nothing added to commit" in said:
        return False
    raise SyncError(f"git commit failed: {last_line(said) or f'exit status {done.returncode}'}")


# ---------------------------------------------------------------- reading
def tables_at(repo: Repo, commit: str | None) -> LibraryTables:
    """The library as committed in `commit` (None: the files on disk)."""
    parts = []
    for rel in repo.files:
        if commit is None:
            parts.append(load_json_file(repo.root / rel))
            continue
        done = git(repo.root, "cat-file", "blob", f"{commit}:{rel}", check=False)
        if done.returncode != 0:
            parts.append({})
            continue
        try:
            parts.append(parse_library_json(done.stdout, f"{rel} of commit {commit[:10]}"))
        except LibraryError as exc:
            raise SyncError(f"cannot merge: {exc}") from None
    return LibraryTables(*parts)


def _rev(repo: Repo, ref: str) -> str | None:
    done = git(repo.root, "rev-parse", "-q", "--verify", f"{ref}^{{commit}}", check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _heads(repo: Repo) -> tuple[str | None, str | None]:
    """The commits of the branch and of the remote's branch (None: none yet), with one command."""
    ours, theirs = f"refs/heads/{repo.branch}", repo.remote_ref()
    done = git(repo.root, "for-each-ref", "--format=%(refname) %(objectname)", ours, theirs)
    found = dict(line.split(" ", 1) for line in done.stdout.decode().splitlines() if " " in line)
    return found.get(ours), found.get(theirs)


# ---------------------------------------------------------------- sync
def _fetch(repo: Repo, url: str) -> None:
    done = git(repo.root, "fetch", "-q", REMOTE, network=True, check=False)
    if done.returncode != 0:
        why = last_line(done.stderr.decode("utf-8", "replace"))
        raise SyncError(
            f"cannot reach the remote {url} ({why}): your changes are committed here "
            "and go with the next sync"
        )


def _news(repo: Repo, head: str | None, theirs: str | None) -> bool:
    """Whether the remote's branch holds commits that ours does not."""
    if theirs is None or theirs == head:
        return False
    return head is None or not ok(repo.root, "merge-base", "--is-ancestor", theirs, head)


def _take_in(repo: Repo, library: LibraryStore, result: SyncResult, theirs: str) -> None:
    """Under the lock: bring the fetched remote (`theirs`, not in our branch)
    into the library and the branch."""
    with _locked(library):
        _commit_local(repo, f"reader: changes on {machine_id()}")
        head = _rev(repo, "HEAD")
        if head is None or ok(repo.root, "merge-base", "--is-ancestor", theirs, head):
            return
        before = tables_at(repo, None)
        if ok(repo.root, "merge-base", "--is-ancestor", head, theirs):
            merged = tables_at(repo, theirs)
            _checked(merged)
            _write(repo, theirs_bytes(repo, theirs))
            git(repo.root, "merge", "--ff-only", "-q", theirs)
        else:
            base_commit = git(repo.root, "merge-base", head, theirs, check=False).stdout.decode().strip()
            base = tables_at(repo, base_commit) if base_commit else None
            try:
                merged, report = merge_libraries(base, tables_at(repo, head), tables_at(repo, theirs))
            except LibraryError as exc:
                raise SyncError(f"cannot merge the library from the remote: {exc}") from None
            _checked(merged)
            result.report.extend(report)
            _write(repo, [dump_tables(t) for t in merged.files()])
            tree = text(repo.root, "write-tree")
            commit = text(
                repo.root, *_ident(repo), "commit-tree", tree, "-p", head, "-p", theirs,
                "-m", f"reader: merge on {machine_id()}",
            )
            git(repo.root, "merge", "--ff-only", "-q", commit)
        got = changed_papers(before, merged)
        if got:
            result.lines.append(f"received changes to {len(got)} paper{'s' if len(got) != 1 else ''}")
    if library.loaded:
        library.refresh()


def _checked(lib: LibraryTables) -> None:
    try:
        check_tables(lib, "the library from the remote")
    except LibraryError as exc:
        raise SyncError(str(exc)) from None


def theirs_bytes(repo: Repo, commit: str) -> list[bytes | None]:
    out: list[bytes | None] = []
    for rel in repo.files:
        done = git(repo.root, "cat-file", "blob", f"{commit}:{rel}", check=False)
        out.append(done.stdout if done.returncode == 0 else None)
    return out


def _write(repo: Repo, contents: list[bytes | None]) -> None:
    """Write the library files (papers, state, abstracts given in that order)
    all or none, the papers last, and stage them."""
    items = [(repo.root / rel, data) for rel, data in zip(repo.files, contents, strict=True) if data is not None]
    write_files_together(items[::-1])
    git(repo.root, "add", "--", *(rel for rel, data in zip(repo.files, contents, strict=True) if data))


def sync(library: LibraryStore) -> SyncResult:
    """Commit, fetch, merge, push (see the module). A failure is a `SyncError`."""
    repo = require_repo(library)
    url = remote_url(repo)
    if url is None:
        raise SyncError("no remote to sync with: run `reader sync init REMOTE_URL`")
    result = SyncResult()
    with _locked(library):
        _commit_local(repo, f"reader: changes on {machine_id()}")
    for _ in range(PUSH_TRIES):
        _fetch(repo, url)
        head, theirs = _heads(repo)
        if theirs is not None and _news(repo, head, theirs):
            # Only then is the library read: a remote with nothing new costs no read.
            _take_in(repo, library, result, theirs)
            head = _rev(repo, "HEAD")
        if head is None or head == theirs:
            break
        done = git(repo.root, *PUSH_CONFIG, "push", "-q", REMOTE, f"HEAD:refs/heads/{repo.branch}",
                   network=True, check=False)
        if done.returncode == 0:
            result.lines.append(f"sent the changes made here to {url}")
            break
        why = done.stderr.decode("utf-8", "replace")
        if "rejected" not in why and "fetch first" not in why:
            raise SyncError(
                f"cannot push to {url} ({last_line(why)}): your changes are committed here "
                "and go with the next sync"
            )
    else:
        raise SyncError(f"{url} kept changing while this sync ran: try again")
    result.lines += result.report.lines()
    if not result.lines:
        result.lines.append(f"up to date with {url}")
    return result


def status(library: LibraryStore) -> list[str]:
    """What a sync would move, after a fetch (or without one, when the remote
    cannot be reached)."""
    repo = require_repo(library)
    url = remote_url(repo)
    lines = []
    with _locked(library):
        pass  # the log folded: the files on disk are the library
    head = _rev(repo, "HEAD")
    here = changed_papers(tables_at(repo, head) if head else LibraryTables(), tables_at(repo, None))
    if url is None:
        lines.append("no remote: run `reader sync init REMOTE_URL`")
    else:
        try:
            _fetch(repo, url)
        except SyncError:
            lines.append(f"cannot reach the remote {url}: what follows is as of the last sync")
    theirs = _rev(repo, repo.remote_ref())
    if head and theirs:
        base = git(repo.root, "merge-base", head, theirs, check=False).stdout.decode().strip() or None
        if base:
            here |= changed_papers(tables_at(repo, base), tables_at(repo, head))
        there = changed_papers(tables_at(repo, base) if base else LibraryTables(), tables_at(repo, theirs))
        if there:
            lines.append(f"to receive: changes to {len(there)} paper{'s' if len(there) != 1 else ''}")
    elif head and url is not None and not theirs:
        lines.append(f"the remote {url} holds no library yet")
    if here:
        lines.append(f"to send: changes to {len(here)} paper{'s' if len(here) != 1 else ''}")
    if not here and not any(line.startswith("to receive") for line in lines):
        lines.append("nothing to send or receive")
    return lines
