"""The package's shape: no import circle, the pipeline never loads the training code, one script per rule."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src/stancemap"
TRAINING_RULES = {"train_model", "export_model", "measure_model"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """stancemap modules imported anywhere in ``path`` (relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.startswith("stancemap"):
                for alias in node.names:  # "from . import x" may name a module
                    candidate = f"{base}.{alias.name}"
                    found.add(
                        candidate
                        if (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists()
                        else base
                    )
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("stancemap")}
    return found - {name}


def test_no_import_circle():
    graph = {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}
    # A package's __init__ may be imported by its submodules; only module-to-module circles count.
    graph = {m: {d for d in deps if d in graph and not m.startswith(d + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph[module]):
            assert state.get(dep) != 1, "import circle: " + " -> ".join([*trail, module, dep])
            if dep not in state:
                visit(dep, [*trail, module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def rule_scripts() -> dict[str, str]:
    """Rule name -> script file name, from workflow/rules/*.smk: ``script: "../scripts/x.py"`` (training) or
    ``run: run_script(rule, …)``, which runs ``workflow/scripts/<rule>.py`` in a fork (stancemap.step)."""
    out = {}
    for smk in (ROOT / "workflow/rules").glob("*.smk"):
        text = smk.read_text()
        for match in re.finditer(r"^(?:rule|checkpoint) (\w+):(.*?)(?=^(?:rule|checkpoint) |\Z)", text, re.S | re.M):
            script = re.search(r'script:\s*\n\s*"\.\./scripts/([\w.]+)"', match.group(2))
            if script:
                out[match.group(1)] = script.group(1)
            elif re.search(r"run:\s*\n\s*run_script\(rule, ", match.group(2)):
                out[match.group(1)] = f"{match.group(1)}.py"
    return out


def test_one_script_per_rule_named_after_it():
    scripts = rule_scripts()
    assert scripts and all(script == f"{rule}.py" for rule, script in scripts.items()), scripts
    assert {p.name for p in (ROOT / "workflow/scripts").glob("*.py")} == set(scripts.values())


def test_every_rule_but_training_runs_forked():
    """Training runs as a process of its own (an hour of torch threads); every other rule forks (README,
    "Measurements": the cost of one more article)."""
    text = "".join(p.read_text() for p in (ROOT / "workflow/rules").glob("*.smk"))
    scripted = set(re.findall(r'script:\s*\n\s*"\.\./scripts/(\w+)\.py"', text))
    assert scripted == TRAINING_RULES


def test_the_pipeline_never_imports_the_training_code():
    modules = set()
    for rule, script in rule_scripts().items():
        if rule not in TRAINING_RULES:
            text = (ROOT / "workflow/scripts" / script).read_text()
            modules |= set(re.findall(r"^from (stancemap[\w.]*) import", text, re.M))
    common = (ROOT / "workflow/rules/common.smk").read_text()
    modules |= set(re.findall(r"^from (stancemap[\w.]*) import", common, re.M))
    assert "stancemap.stance.classify" in modules and "stancemap.report.compare" in modules
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in sorted(modules))
    code += "print(sorted(m for m in sys.modules if m.startswith('stancemap.training')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
