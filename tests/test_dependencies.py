"""Every third-party module the project imports is declared in requirements.txt, and
every module the lmlab package imports at its top level is a dependency in pyproject.toml."""
import ast
import re
import sys
import tomllib
from functools import lru_cache
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(lines) -> set[str]:
    out = set()
    for line in lines:
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            out.add(_norm(_NAME.match(line).group(1)))
    return out


def _imports(source: str) -> set[str]:
    mods = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            mods.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            mods.add(node.module.split(".")[0])
    return mods


def _code_cells(markdown: str) -> str:
    cells = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", markdown, re.S | re.M)
    lines = []
    for cell in cells:
        cell = re.sub(r"\A---\n.*?^---\n", "", cell, flags=re.S | re.M)   # YAML cell options
        lines += cell.splitlines()
    out = []
    for line in lines:
        body = line.lstrip()
        if body.startswith(":"):                                        # cell options
            continue
        if body.startswith(("%", "!")):                                  # magics: keep the block shape
            line = line[: len(line) - len(body)] + "pass"
        out.append(line)
    return "\n".join(out)


def _local() -> set[str]:
    """Modules of the repository itself (helpers beside the tests, the book's extension)."""
    return {p.stem for d in ("tests", "benchmarks", "book/_ext") for p in (ROOT / d).glob("*.py")}


def _third_party(mods: set[str]) -> set[str]:
    return {m for m in mods
            if m not in sys.stdlib_module_names and m not in ("lmlab", "__future__") and m not in _local()}


@lru_cache(maxsize=1)
def _distributions() -> dict[str, list[str]]:
    return packages_distributions()


def _check(mods: set[str], declared: set[str], where: str) -> list[str]:
    dists = _distributions()
    missing = []
    for m in sorted(mods):
        names = {_norm(d) for d in dists.get(m, [])}
        if not names & declared:
            missing.append(f"{m} (distribution {sorted(names) or 'not installed'}) not declared in {where}")
    return missing


def test_every_import_is_in_requirements():
    mods: dict[str, set[str]] = {}
    for path in [*ROOT.glob("src/**/*.py"), *ROOT.glob("tests/**/*.py"), *ROOT.glob("benchmarks/**/*.py"),
                 *ROOT.glob("book/**/*.py")]:
        for m in _third_party(_imports(path.read_text())):
            mods.setdefault(m, set()).add(str(path.relative_to(ROOT)))
    for path in ROOT.glob("book/*.md"):
        for m in _third_party(_imports(_code_cells(path.read_text()))):
            mods.setdefault(m, set()).add(str(path.relative_to(ROOT)))
    declared = _declared((ROOT / "requirements.txt").read_text().splitlines())
    missing = _check(set(mods), declared, "requirements.txt")
    assert not missing, "\n".join(f"{m}; used in {sorted(mods[m.split()[0]])[:3]}" for m in missing)


def test_package_imports_are_dependencies():
    """Modules the package imports at module level (not inside a function) are in
    pyproject.toml's dependencies; the coursework tool's are in its optional group."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = _declared(project["dependencies"])
    extra = _declared(project.get("optional-dependencies", {}).get("coursework", []))
    missing = []
    for path in ROOT.glob("src/lmlab/**/*.py"):
        tree = ast.parse(path.read_text())
        top = set()
        for node in tree.body:                                           # module level only
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                top |= _imports(ast.unparse(node))
        inner = _imports(path.read_text()) - top
        missing += _check(_third_party(top), core, f"pyproject dependencies ({path.name})")
        missing += _check(_third_party(inner), core | extra, f"pyproject dependencies or extras ({path.name})")
    assert not missing, "\n".join(missing)


def test_the_check_catches_an_undeclared_import():
    """The scan itself works: a module that is not declared is reported."""
    assert _check({"numpy"}, {"numpy"}, "x") == []
    assert _check({"yaml"}, {"numpy"}, "x") == ["yaml (distribution ['pyyaml']) not declared in x"]
    assert _imports("import a.b\nfrom c.d import e\nfrom . import f") == {"a", "c"}
    assert _imports(_code_cells("```{code-cell} ipython3\n:tags: [x]\n%pip install q\nimport pandas as pd\n```\n"
                                "prose: from scratch\n"
                                "```{code-cell} ipython3\n---\ntags: [solution]\nexercise: {name: q1}\n---\n"
                                "import yaml\n```\n")) == {"pandas", "yaml"}
