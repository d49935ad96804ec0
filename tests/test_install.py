"""Installs like a desktop app (issue 16, item 7): the built wheel holds the question bank, the trained
labeller and the icon, and its `star-coach` command works outside the checkout; `install-desktop`
puts STAR Coach in the application menu and `--remove` takes it away."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWER = (
    "Last spring our warehouse kept missing its shipping cutoff. My job was to get orders out by 3 PM. "
    "I rebuilt the pick routes and moved packing earlier. We hit the cutoff every day for a month. "
    "I learned to measure before I change things."
)


def test_the_wheel_runs_outside_the_checkout(tmp_path: Path) -> None:
    # Built from a copy of what the package is made of: a checkout's old build/ folder would add
    # modules that no longer exist.
    source = tmp_path / "source"
    for part in ("app", "ui", "bench", "resources"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("pyproject.toml", "README.md", "main.py"):
        shutil.copy2(ROOT / part, source / part)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(source)],
        check=True,
    )
    (wheel,) = (tmp_path / "dist").glob("star_coach-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "app/bank_data/questions.json",
        "app/resources/star_labeller.npz",
        "app/resources/star_contextual.onnx",
        "app/resources/star_contextual.json",
        "app/resources/star_contextual_tokenizer.json",
        "app/resources/one_event.json",
        "app/resources/verb_forms.tsv.xz",
        "app/resources/star-coach.svg",
        "ui/launch.py",
    ):
        assert needed in names, needed
    assert any(n.startswith("app/resources/star_training/") for n in names)
    # The app and nothing else: the benchmark and the development tools stay in the checkout.
    assert not any(n.startswith(("bench/", "tools/", "tests/")) for n in names)

    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target), "STAR_COACH_HOME": str(tmp_path / "home")}
    where = subprocess.run(
        [sys.executable, "-c", "import app, ui; print(app.__file__); print(ui.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(Path(w).is_relative_to(target) for w in where), where  # not the checkout's
    out = subprocess.run(
        [str(target / "bin" / "star-coach"), "analyze", str(answer), "--question", "q01"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for section in ("situation", "task", "action", "result", "reflection"):
        assert section in out
    assert "missing: none" in out


def test_install_desktop_adds_an_entry_and_an_icon_and_removes_them(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share"), "STAR_COACH_HOME": str(tmp_path / "home")}
    subprocess.run([sys.executable, str(ROOT / "main.py"), "install-desktop"], env=env, check=True)
    entry = tmp_path / "share" / "applications" / "star-coach.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "star-coach.svg"
    text = entry.read_text(encoding="utf-8")
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    assert text.startswith("[Desktop Entry]\n")
    assert (
        fields["Type"] == "Application" and fields["Name"] == "STAR Coach" and fields["Icon"] == "star-coach"
    )
    command = shlex.split(fields["Exec"])
    assert Path(command[0]).is_file() and os.access(command[0], os.X_OK), command
    assert icon.read_bytes() == (ROOT / "app" / "resources" / "star-coach.svg").read_bytes()

    from PySide6.QtSvg import QSvgRenderer

    assert QSvgRenderer(str(icon)).isValid()
    subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "install-desktop", "--remove"], env=env, check=True
    )
    assert not entry.exists() and not icon.exists()


def test_every_package_of_the_tree_is_in_the_wheel() -> None:
    """pyproject.toml lists the packages (the question bank's folder is mapped in): a new package folder
    left off the list would be missing from an installed app."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    tree = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("app", "ui")
        for p in (ROOT / top).rglob("__init__.py")
    }
    assert listed == tree | {"app.bank_data"}


def test_the_benchmark_is_not_part_of_the_installed_command(tmp_path: Path) -> None:
    """`star-coach bench` outside a checkout says where the benchmark is instead of failing on an import."""
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main(['bench']))"],
        cwd=ROOT,
        env={**os.environ, "STAR_COACH_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2 and "python main.py bench" in out.stderr
