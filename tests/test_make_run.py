"""`make run` serves the app and starts what background work needs, with SITE_URL set to the
address it serves (the one source of the links in e-mails and letters)."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dry_run(*args: str, **env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    environment.update(env)
    return subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, check=True, timeout=60).stdout


def test_make_run_port_sets_site_url():
    commands = _dry_run("PORT=8200")
    assert "export SITE_URL=http://127.0.0.1:8200;" in commands
    assert "runserver 127.0.0.1:8200" in commands


def test_an_explicit_site_url_wins():
    commands = _dry_run("PORT=8200", SITE_URL="https://kompeten.example")
    assert "export SITE_URL=https://kompeten.example;" in commands


def test_make_run_starts_the_background_worker():
    commands = _dry_run()
    assert "manage.py run_jobs &" in commands
    assert "trap 'kill $worker" in commands
