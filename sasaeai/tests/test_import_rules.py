"""Which app may import which (issue 22).

- The base apps (lib, areas, accounts, audit) are the ground floor: they import no domain app
  and not core.
- A domain app imports another domain app only where one of its models has a foreign key (or
  one-to-one, many-to-many) to a model of that app: the data already ties them.
- The gatherers read several apps and may import any of them: core (the pages that gather
  several apps) and api (the open data and the API over every app); nothing imports a
  gatherer but the project's own `sasaeai/urls.py` and `settings.py`.
- No cycle between apps.

Every `import` counts, at the top of a module, inside a function or under TYPE_CHECKING:
a lazy import still ties the apps together. Migrations and tests are not walked.
"""

from __future__ import annotations

import ast
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]  # the sasaeai package
PACKAGE = ROOT.name
BASE = {"lib", "areas", "accounts", "audit"}
GATHERERS = {"core", "api"}
MAY_IMPORT_CORE = {f"{PACKAGE}.urls", f"{PACKAGE}.settings"}
# Domain arrows without a model relation, each known and named until it goes.
NOT_YET: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. sasaeai.councils.public
    app: str | None  # its app; None for the project's own modules (urls, settings …)
    target: str  # the imported app
    where: str  # path:line
    text: str  # the statement as written

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"


def our_apps() -> set[str]:
    return {p.parent.name for p in ROOT.glob("*/apps.py")}


def modules() -> list[tuple[tuple[str, ...], Path]]:
    """Each module's path inside the package (`__init__` dropped), and its file."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if {"migrations", "tests"} & set(parts) or parts[-1] in {"test", "conftest"}:
            continue
        if not parts[-1].startswith("test_"):
            found.append((parts, path))
    return found


def imports_in(parts: tuple[str, ...], source: str, where: str, names: set[str]) -> list[Import]:
    """The imports of other apps in one module, e.g. parts ("councils", "public")."""
    is_package = parts[-1:] == ("__init__",)
    parts = parts[:-1] if is_package else parts
    module = ".".join((PACKAGE, *parts))
    package = module if is_package else module.rpartition(".")[0]
    app = parts[0] if parts and parts[0] in names and (is_package or len(parts) > 1) else None
    found = []
    for node in ast.walk(ast.parse(source, where)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            start = node.module or ""
            if node.level:  # relative: `.` is this package, `..` its parent
                base = package.split(".")[: package.count(".") + 2 - node.level]
                start = ".".join(base + ([node.module] if node.module else []))
            # `from sasaeai import councils` names the app among the imported names.
            targets = [f"{start}.{a.name}" for a in node.names] if start == PACKAGE else [start]
        else:
            continue
        for target in targets:
            head, _, rest = target.partition(".")
            other = rest.split(".")[0]
            if head == PACKAGE and other in names and other != app:
                line = f"{where}:{node.lineno}"
                found.append(Import(module, app, other, line, ast.unparse(node)))
    return found


def imports() -> list[Import]:
    names = our_apps()
    found = []
    for parts, path in modules():
        where = str(path.relative_to(ROOT.parent))
        found += imports_in(parts, path.read_text(), where, names)
    return found


def model_links() -> set[tuple[str, str]]:
    """(A, B) for every model of app A with a relation to a model of app B."""
    links = set()
    for model in apps.get_models(include_auto_created=True):
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            related = field.related_model
            if related is None or isinstance(related, str):
                continue
            a, b = model._meta.app_config, related._meta.app_config
            if a.name.startswith(f"{PACKAGE}.") and b.name.startswith(f"{PACKAGE}."):
                pair = (a.name.split(".")[1], b.name.split(".")[1])
                if pair[0] != pair[1]:
                    links.add(pair)
    return links


def graph(found: list[Import]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for i in found:
        if i.app:
            edges[i.app].add(i.target)
    return edges


def way(edges: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """The shortest chain of imports from one app to another, both ends included."""
    came = {start: start}
    queue = deque([start])
    while queue:
        app = queue.popleft()
        if app == goal:
            chain = [goal]
            while chain[-1] != start:
                chain.append(came[chain[-1]])
            return chain[::-1]
        for nxt in sorted(edges.get(app, ())):
            if nxt not in came:
                came[nxt] = app
                queue.append(nxt)
    return None


def loops(edges: dict[str, set[str]]) -> list[list[str]]:
    """For each arrow that lies on a cycle, the shortest way round: [a, b, …, a]."""
    found: set[tuple[str, ...]] = set()
    for app in sorted(edges):
        for target in sorted(edges[app]):
            if back := way(edges, target, app):
                ring = [app, *back[:-1]]
                turn = ring.index(min(ring))  # one spelling for each cycle
                found.add(tuple(ring[turn:] + ring[:turn]))
    return [[*ring, ring[0]] for ring in sorted(found)]


def report(title: str, bad: list[Import], found: list[Import], most: int = 0) -> str:
    """The offending imports grouped by arrow (at most `most` of each, if given), then the
    whole app graph."""
    arrows: dict[tuple[str | None, str], list[Import]] = defaultdict(list)
    for i in sorted(bad, key=lambda i: (i.where.partition(":")[0], int(i.where.partition(":")[2]))):
        arrows[i.app, i.target].append(i)
    lines = [title]
    for (app, target), each in sorted(arrows.items(), key=lambda a: (a[0][0] or "", a[0][1])):
        lines.append(f"  {app or PACKAGE} → {target} ({len(each)}):")
        lines += [f"    {i}" for i in each[: most or None]]
        lines += [f"    … {len(each) - most} more"] if most and len(each) > most else []
    lines += ["", "app → apps it imports:"]
    edges = graph(found)
    for app in sorted(our_apps()):
        kind = "base" if app in BASE else "gatherer" if app in GATHERERS else "domain"
        lines.append(f"  {app} ({kind}) → {', '.join(sorted(edges.get(app, ()))) or '-'}")
    return "\n".join(lines)


def test_the_walk_sees_every_way_of_importing() -> None:
    # The rules prove nothing if the walk misses imports: absolute, relative, `from sasaeai
    # import x`, and those inside functions must all be seen.
    source = """
import sasaeai.lib.text
from sasaeai.areas.models import Area
from ..accounts import access
from .. import audit
from sasaeai import directory, councils
from . import views
from .models import Thing
def late():
    from sasaeai.events.models import Event
"""
    names = {"lib", "areas", "accounts", "audit", "directory", "councils", "events", "needs"}
    found = imports_in(("needs", "views"), source, "needs/views.py", names)
    targets = ["lib", "areas", "accounts", "audit", "directory", "councils", "events"]
    assert [i.target for i in found] == targets
    assert {i.app for i in found} == {"needs"}
    assert found[2].where == "needs/views.py:4"
    package = imports_in(("needs", "__init__"), "from .models import Need", "x", names)
    top = imports_in(("urls",), "from .needs import views", "x", names)
    assert package == [] and [(i.app, i.target) for i in top] == [(None, "needs")]


def test_base_apps_import_no_other_app() -> None:
    found = imports()
    bad = [i for i in found if i.app in BASE and i.target not in BASE]
    assert not bad, report("A base app imports a domain app:", bad, found)


def test_domain_apps_import_each_other_only_along_foreign_keys() -> None:
    found = imports()
    allowed = model_links() | set(NOT_YET)
    domain = our_apps() - BASE - GATHERERS
    bad = [
        i
        for i in found
        if i.app in domain and i.target in domain and (i.app, i.target) not in allowed
    ]
    links = ", ".join(f"{a}→{b}" for a, b in sorted(allowed) if {a, b} <= domain)
    title = f"A domain app imports another with no model relation between them ({links}):"
    assert not bad, report(title, bad, found)


def test_only_the_project_imports_a_gatherer() -> None:
    found = imports()
    bad = [
        i
        for i in found
        if i.target in GATHERERS and i.app != i.target and i.source not in MAY_IMPORT_CORE
    ]
    title = "Only sasaeai/urls.py and settings.py may import core or api:"
    assert not bad, report(title, bad, found)


def test_no_cycle_between_apps() -> None:
    found = imports()
    rings = loops(graph(found))
    steps = {(ring[n], ring[n + 1]) for ring in rings for n in range(len(ring) - 1)}
    bad = [i for i in found if (i.app, i.target) in steps]
    title = "Apps import each other in a circle: " + "; ".join(" → ".join(r) for r in rings)
    assert not rings, report(title, bad, found, most=2)
