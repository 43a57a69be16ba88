"""`check --deploy` is clean with the production settings documented in README."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_environment() -> dict[str, str]:
    """The variables of the README's "Production" block (so the docs and this test agree)."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"### Production\n.*?```\n(.*?)```", readme, re.S).group(1)
    pairs = re.findall(r"^export (\w+)=(\S+)", block, re.M)
    assert pairs
    return dict(pairs)


def test_the_readme_documents_the_https_switches():
    env = production_environment()
    for name in ("SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                 "USE_X_FORWARDED_PROTO", "SITE_URL"):
        assert name in env


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key in {"PATH", "HOME", "LANG", "DATABASE_URL"}}
    env.update(production_environment())
    env.update({"SECRET_KEY": "k" * 20 + "-production-secret-key-of-fifty-chars-and-more",
                "KOMPETEN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kompeten.settings"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_default_settings_are_not_for_production(tmp_path):
    env = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME"}}
    env.update({"KOMPETEN_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
